using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class DetectorCardTests : DashboardTestContext
{
    [Fact]
    public void Operator_LearnsThenPromotes_TheCardShowsThePromotedDetector()
    {
        SignIn("olga", DashboardRoles.Operator);
        Detectors.NormalImages = 6;
        var cut = Render<DetectorCard>(p => p.Add(x => x.LineId, "press-7"));
        Assert.Contains("none promoted", cut.Find("[data-testid=detector-none]").TextContent);
        Assert.Contains("6 normal images", cut.Find("[data-testid=detector-normal-count]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=detector-promote]"));

        cut.Find("[data-testid=detector-learn]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Promote v1", cut.Find("[data-testid=detector-promote]").TextContent));
        cut.Find("[data-testid=detector-promote]").Click();

        cut.WaitForAssertion(() => Assert.Contains("v1, fitted on 6 normal images by olga", cut.Find("[data-testid=detector-promoted]").TextContent));
        Assert.Contains("promoted by olga", cut.Find("[data-testid=detector-promoted]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=detector-promote]"));
        Assert.Equal(["learn press-7 by olga", "promote press-7 v1 by olga"], Detectors.Actions);
    }

    [Fact]
    public void Viewer_SeesTheDetector_WithoutActions()
    {
        SignIn("vera", DashboardRoles.Viewer);
        var cut = Render<DetectorCard>(p => p.Add(x => x.LineId, "press-7"));

        Assert.NotNull(cut.Find("[data-testid=detector-none]"));
        Assert.Empty(cut.FindAll("[data-testid=detector-learn]"));
        Assert.Empty(Detectors.Actions);
    }

    [Fact]
    public async Task GrainLineDetectors_AViewerOrAnonymousIsRefusedBeforeAnyGrainIsCalled()
    {
        var (grains, recorder) = RecordingProxy<IGrainFactory>.Create();
        var detectors = new GrainLineDetectors(grains);

        var learn = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => detectors.LearnAsync(Users.WithRole("vera", DashboardRoles.Viewer), "press-7"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => detectors.PromoteAsync(Users.Anonymous, "press-7", "v1"));

        Assert.Contains("vera may not learn a detector", learn.Message);
        Assert.Empty(recorder.Calls);
    }

    private void SignIn(string name, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
    }
}
