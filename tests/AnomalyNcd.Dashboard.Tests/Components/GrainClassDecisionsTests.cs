using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class GrainClassDecisionsTests
{
    [Fact]
    public async Task Decisions_ByAViewer_AreRefusedBeforeAnyGrainIsCalled()
    {
        var (grains, recorder) = RecordingProxy<IGrainFactory>.Create();
        var decisions = new GrainClassDecisions(grains);
        var viewer = Users.WithRole("vera", DashboardRoles.Viewer);

        var rename = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.RenameAsync(viewer, "line-a", "1", "Dent"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.MergeAsync(Users.Anonymous, "line-a", "1", "2"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.RejectAsync(viewer, "line-a", "1"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.PromoteModelAsync(viewer, "line-a", "v1"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => decisions.PromoteModelAsync(Users.Anonymous, "line-a", "v1"));

        Assert.Contains("vera may not change classes", rename.Message);
        Assert.Empty(recorder.Calls);
    }
}
