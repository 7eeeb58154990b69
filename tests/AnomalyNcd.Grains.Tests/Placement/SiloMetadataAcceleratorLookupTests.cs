using System.Net;
using AnomalyNcd.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AnomalyNcd.Grains.Tests.Placement;

public sealed class SiloMetadataAcceleratorLookupTests
{
    private static readonly SiloAddress Local = SiloAddress.New(IPAddress.Loopback, 11111, 1);
    private static readonly SiloAddress Remote = SiloAddress.New(IPAddress.Loopback, 11112, 1);

    [Fact]
    public void EmptyCache_KnowsOnlyTheLocalSilo()
    {
        var lookup = new SiloMetadataAcceleratorLookup(new EmptyCache(), new LocalSilo(), new AcceleratorSiloSettings(AcceleratorKinds.Cuda, false));

        Assert.Equal(AcceleratorKinds.Cuda, lookup.AcceleratorOf(Local));
        Assert.Null(lookup.AcceleratorOf(Remote));
    }

    private sealed class EmptyCache : ISiloMetadataCache
    {
        public SiloMetadata GetSiloMetadata(SiloAddress siloAddress) => SiloMetadata.Empty;
    }

    private sealed class LocalSilo : ILocalSiloDetails
    {
        public string Name => "local";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => Local;

        public SiloAddress GatewayAddress => Local;
    }
}
