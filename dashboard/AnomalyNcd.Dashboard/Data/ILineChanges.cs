namespace AnomalyNcd.Dashboard.Data;

/// <summary>"Line changed" notifications for open pages; one seam so component tests raise them without a silo.</summary>
public interface ILineChanges
{
    /// <summary>Calls <paramref name="onChanged"/> (on a pool thread) whenever <paramref name="lineId"/> changes; dispose to stop.</summary>
    IDisposable Subscribe(string lineId, Func<Task> onChanged);
}
