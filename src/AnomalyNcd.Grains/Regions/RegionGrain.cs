using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Regions;

/// <summary>
/// One anomaly region (key line/image/index): geometry, crop references, class and operator decision.
/// Ingest does not touch region grains: the image grain stores its extracted regions, and a region grain without a
/// state row of its own starts from the image's copy when it activates. It writes its own state only when the region
/// changes (assignment, decision), which keeps two database round trips per region out of every upload.
/// </summary>
public sealed class RegionGrain(
    [PersistentState("region", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<RegionState> state)
    : Grain, IRegionGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Region is null && TryParseKey() is var (lineId, imageId, index))
        {
            var extracted = await GrainFactory.GetGrain<IImageGrain>(GrainKeys.Image(lineId, imageId)).GetExtractedRegionAsync(index);
            if (extracted is not null)
            {
                state.State.Region = extracted;
                state.State.ModelClassId = extracted.ClassId;
            }
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task InitialiseAsync(RegionResult region)
    {
        if (region.Key.GrainKey != this.GetPrimaryKeyString())
        {
            throw RequestRejectedException.Invalid($"region {region.Key} sent to region grain {this.GetPrimaryKeyString()}");
        }

        if (state.State.Region is { } existing)
        {
            if (SameContent(existing, region))
            {
                return;
            }

            throw RequestRejectedException.Conflict($"region {region.Key} already holds another crop");
        }

        state.State.Region = region;
        state.State.ModelClassId = region.ClassId;
        await state.WriteStateAsync();
    }

    public Task<RegionResult?> GetAsync() => Task.FromResult(state.State.Region);

    public async Task<RegionResult> AssignAsync(string classId, double confidence, string modelVersion, ArtefactRef? embedding = null)
    {
        var region = Existing();
        state.State.ModelClassId = classId;

        // An operator's decision stands; the model's confidence and version are still recorded.
        var effectiveClass = region.Decision is { } decision ? decision.ClassId : classId;
        state.State.Region = region with { ClassId = effectiveClass, Confidence = confidence, ModelVersion = modelVersion, Embedding = embedding ?? region.Embedding };
        await state.WriteStateAsync();
        return state.State.Region;
    }

    public async Task<RegionResult> DecideAsync(OperatorDecision decision)
    {
        var region = Existing();
        state.State.Region = region with { ClassId = decision.ClassId, Decision = decision };
        await state.WriteStateAsync();
        return state.State.Region;
    }

    private RegionResult Existing() =>
        state.State.Region ?? throw RequestRejectedException.NotFound($"region {this.GetPrimaryKeyString()} does not exist");

    /// <summary>The key's parts, or null for a malformed key (such a grain simply has no region).</summary>
    private (string LineId, string ImageId, int Index)? TryParseKey()
    {
        try
        {
            return GrainKeys.ParseRegion(this.GetPrimaryKeyString());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool SameContent(RegionResult a, RegionResult b) =>
        a.Key == b.Key && a.Box == b.Box && a.Area == b.Area && a.Crop == b.Crop && a.CropMask == b.CropMask;
}
