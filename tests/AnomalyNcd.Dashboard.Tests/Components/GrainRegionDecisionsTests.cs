using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class GrainRegionDecisionsTests
{
    [Fact]
    public async Task RegionDecisions_ByAViewerOrAnonymous_AreRefusedBeforeAnyGrainIsCalled()
    {
        var (grains, recorder) = RecordingProxy<IGrainFactory>.Create();
        var decisions = new GrainRegionDecisions(grains);
        RegionKey[] regions = [new("line-a", "img", 0)];

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => decisions.DecideAsync(Users.WithRole("vera", DashboardRoles.Viewer), regions, ReviewPlan.RejectAction, null));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.DecideAsync(Users.Anonymous, regions, ReviewPlan.AssignAction, "c1"));

        Assert.Contains("vera may not decide on regions", refused.Message);
        Assert.Empty(recorder.Calls);
    }
}
