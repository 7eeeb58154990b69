using System.Net.Sockets;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Silo.Api;
using Npgsql;
using Orleans.Serialization;

namespace AnomalyNcd.Silo.Tests.Api;

public class FaultClassifierTests
{
    [Fact]
    public void IsTransient_NpgsqlFaultWrappedByTheStorageProvider_IsTransient()
    {
        var wrapped = new InvalidOperationException("storage provider failed", new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.True(FaultClassifier.IsTransient(wrapped));
    }

    [Fact]
    public void IsTransient_NpgsqlExceptionWithoutCodecAcrossSilos_IsTransient()
    {
        Assert.True(FaultClassifier.IsTransient(new CodecNotFoundException("Could not find a codec for type Npgsql.NpgsqlException.")));
    }

    [Fact]
    public void IsTransient_ProgrammingErrors_AreNot()
    {
        Assert.False(FaultClassifier.IsTransient(new InvalidOperationException("bug", new ArgumentException("bad"))));
        Assert.False(FaultClassifier.IsTransient(new CodecNotFoundException("Could not find a codec for type My.Type.")));
    }

    [Fact]
    public void IsStoreFull_QuotaOrEnospcAnywhereInTheChain_IsFull()
    {
        Assert.True(FaultClassifier.IsStoreFull(new ArtefactStoreFullException("quota used up")));
        Assert.True(FaultClassifier.IsStoreFull(new AggregateException(new IOException("No space left on device", 28))));
        Assert.False(FaultClassifier.IsStoreFull(new IOException("I/O error", 5)));
    }

    [Fact]
    public void Summary_KeepsTheFirstLineOnly()
    {
        var summary = FaultClassifier.Summary(new TimeoutException("took too long\n   at Some.Stack.Frame()"));

        Assert.Equal("TimeoutException: took too long", summary);
    }
}
