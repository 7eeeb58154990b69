using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Detection;

/// <summary>
/// A line's detector registry (key: line id); the rules are <see cref="DetectorRegistry"/>'s. A promotion is audited
/// in the line's decision log, as model promotions are.
/// </summary>
public sealed class LineDetectorGrain(
    [PersistentState("detectors", GrainsSiloBuilderExtensions.StateStorage)] IPersistentState<LineDetectorState> state)
    : Grain, ILineDetectorGrain
{
    public const string PromoteAction = "promote-detector"; // one of LineAudit.ExternalActions

    private DetectorRegistry Registry => new(state.State, this.GetPrimaryKeyString());

    public async Task<NormalImageKept> AddNormalImageAsync(NormalImage image)
    {
        var created = Registry.AddNormal(image);
        if (created)
        {
            await state.WriteStateAsync();
        }

        return new NormalImageKept(this.GetPrimaryKeyString(), image.ImageId, image.Image, created, Registry.NormalImageCount);
    }

    public Task<NormalImage[]> GetImagesToFitAsync() => Task.FromResult(Registry.ImagesToFit());

    public async Task<DetectorVersion> RegisterAsync(DetectorVersion fitted)
    {
        var registered = Registry.Register(fitted);
        await state.WriteStateAsync();
        return registered;
    }

    public Task<LineDetectors> ListAsync() => Task.FromResult(Registry.List());

    public async Task<DetectorVersion> PromoteAsync(string version, string user)
    {
        var (promoted, before) = Registry.Promote(version, user, DateTimeOffset.UtcNow);
        try
        {
            // Audited before it is stored: a promotion that failed to store leaves an audit entry, never the reverse.
            await GrainFactory.GetGrain<IProductLineGrain>(this.GetPrimaryKeyString()).AuditAsync(PromoteAction, user, before, version);
            await state.WriteStateAsync();
        }
        catch
        {
            await state.ReadStateAsync(); // back to what is stored
            throw;
        }

        return promoted;
    }

    public Task<DetectorVersion?> GetPromotedAsync() => Task.FromResult(Registry.Promoted);
}
