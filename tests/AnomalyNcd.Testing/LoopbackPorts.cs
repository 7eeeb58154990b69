using System.Net;
using System.Net.Sockets;

namespace AnomalyNcd.Testing;

/// <summary>Loopback ports for the servers tests start (silos, their APIs, PostgreSQL).</summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port that is free now and was not handed out before in this process. The kernel may give a just
    /// released port to the next bind, so without the record one silo once got the same port for its API and its silo
    /// endpoint ("address already in use"; the second silo never joined the cluster, CI of stop 35).
    /// </summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            while (true)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
