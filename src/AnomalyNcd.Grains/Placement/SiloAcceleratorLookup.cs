using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AnomalyNcd.Grains.Placement;

/// <summary>Which accelerator a silo advertises, as far as this silo knows.</summary>
internal interface ISiloAcceleratorLookup
{
    /// <summary><c>cuda</c>, <c>cpu</c> (or another advertised value), or null while the silo's metadata is not known here.</summary>
    string? AcceleratorOf(SiloAddress silo);
}

/// <summary>Reads other silos' published metadata from Orleans' silo metadata cache.</summary>
internal sealed class SiloMetadataAcceleratorLookup(ISiloMetadataCache metadataCache, ILocalSiloDetails localSilo, AcceleratorSiloSettings settings)
    : ISiloAcceleratorLookup
{
    public string? AcceleratorOf(SiloAddress silo)
    {
        if (metadataCache.GetSiloMetadata(silo).Metadata.TryGetValue(AcceleratorKinds.MetadataKey, out var value))
        {
            return value.Trim().ToLowerInvariant();
        }

        // The cache fills from membership updates; this silo's own value is known from the start.
        return silo.Equals(localSilo.SiloAddress) ? settings.Accelerator : null;
    }
}
