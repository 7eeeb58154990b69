using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Regions;

/// <summary>One anomaly region (key line/image/index): geometry, crop references, class and operator decision.</summary>
public sealed class RegionGrain(
    [PersistentState("region", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<RegionState> state)
    : Grain, IRegionGrain
{
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

    private static bool SameContent(RegionResult a, RegionResult b) =>
        a.Key == b.Key && a.Box == b.Box && a.Area == b.Area && a.Crop == b.Crop && a.CropMask == b.CropMask;
}
