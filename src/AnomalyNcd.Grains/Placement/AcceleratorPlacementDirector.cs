using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace AnomalyNcd.Grains.Placement;

/// <summary>
/// Places <see cref="AcceleratorPlacementStrategy"/> grains on a random compatible silo that advertises
/// <c>hardware.accelerator=cuda</c> in its silo metadata. The built-in metadata filters compare with the
/// calling silo and <c>[SiloRoleBasedPlacement]</c> uses the grain key, so this reads other silos' metadata itself.
/// </summary>
internal sealed class AcceleratorPlacementDirector(ISiloMetadataCache metadataCache, AcceleratorSiloSettings settings) : IPlacementDirector
{
    private static readonly TimeSpan MetadataPoll = TimeSpan.FromMilliseconds(50);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var deadline = DateTime.UtcNow + settings.MetadataWait;
        while (true)
        {
            var compatible = context.GetCompatibleSilos(target);
            var cuda = new List<SiloAddress>();
            var unknown = 0;
            foreach (var silo in compatible)
            {
                switch (AcceleratorOf(silo, context.LocalSilo))
                {
                    case AcceleratorKinds.Cuda: cuda.Add(silo); break;
                    case null: unknown++; break;
                }
            }

            if (cuda.Count > 0)
            {
                return PreferHint(target, cuda) ?? cuda[Random.Shared.Next(cuda.Count)];
            }

            // A silo that joined a moment ago may not have published its metadata yet; it may be the cuda one.
            if (unknown > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(MetadataPoll);
                continue;
            }

            if (settings.AllowCpuFallback && compatible.Length > 0)
            {
                return PreferHint(target, compatible) ?? compatible[Random.Shared.Next(compatible.Length)];
            }

            throw AcceleratorUnavailableException.For(target.GrainIdentity);
        }
    }

    /// <summary>The silo's advertised accelerator, or null while its metadata is not known here.</summary>
    private string? AcceleratorOf(SiloAddress silo, SiloAddress localSilo)
    {
        if (metadataCache.GetSiloMetadata(silo).Metadata.TryGetValue(AcceleratorKinds.MetadataKey, out var value))
        {
            return value.Trim().ToLowerInvariant();
        }

        return silo.Equals(localSilo) ? settings.Accelerator : null;
    }

    /// <summary>Honours a placement hint (e.g. a directed migration) only when it points at an eligible silo.</summary>
    private static SiloAddress? PreferHint(PlacementTarget target, IReadOnlyCollection<SiloAddress> eligible) =>
        IPlacementDirector.GetPlacementHint(target.RequestContextData, [.. eligible]);
}
