using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.Components.Pages;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ReviewActionsTests : DashboardTestContext
{
    private readonly FakeRegionDecisions regionDecisions = new();

    public ReviewActionsTests()
    {
        Services.AddSingleton<IRegionDecisions>(regionDecisions);
        var images = new[]
        {
            Regions.Image("a", null, Regions.Of("a", 0, "p2", 0.4), Regions.Of("a", 1, "p3", 0.5)),
            Regions.Image("b", null, Regions.Of("b", 0, "c1", 0.6)),
        };
        Services.AddSingleton<IDashboardData>(new FakeDashboardData(Line(), images));
    }

    [Fact]
    public void Viewer_SeesTheQueueWithoutActions()
    {
        SignIn("vera", DashboardRoles.Viewer);

        var cut = RenderPage();

        Assert.Equal(3, cut.WaitForElements("[data-testid=review-table] tbody tr").Count);
        Assert.Empty(cut.FindAll("input[type=checkbox]"));
        Assert.Empty(cut.FindAll("[data-testid=row-confirm]"));
        Assert.Empty(cut.FindAll("[data-testid=review-bulk]"));
    }

    [Fact]
    public void BulkConfirm_ConfirmsEachClassOnceAndKeepsTheRegions()
    {
        SignIn("otto", DashboardRoles.Operator);
        var cut = RenderPage();
        var boxes = cut.WaitForElements("[data-testid=select-region]");

        boxes[0].Change(true);
        cut.FindAll("[data-testid=select-region]")[1].Change(true);
        cut.WaitForAssertion(() => Assert.Contains("2 selected", cut.Find("[data-testid=review-selected]").TextContent));
        cut.Find("[data-testid=bulk-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["confirm press-7/p2 'p2' by otto", "confirm press-7/p3 'p3' by otto"], Decisions.Calls));
        Assert.Equal(["keep-region [a#0] p2 by otto", "keep-region [a#1] p3 by otto"], regionDecisions.Calls);
    }

    [Fact]
    public void SelectAll_ThenReject_MarksEveryRegionOfThePageAsNotADefect()
    {
        SignIn("otto", DashboardRoles.Operator);
        var cut = RenderPage();

        cut.WaitForElement("[data-testid=select-page]").Change(true);
        cut.Find("[data-testid=bulk-reject]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["reject-region [a#0,a#1,b#0] - by otto"], regionDecisions.Calls));
        Assert.Empty(Decisions.Calls);
    }

    [Fact]
    public void RowAssign_MovesTheRegionToTheChosenClass()
    {
        SignIn("otto", DashboardRoles.Operator);
        var cut = RenderPage();

        cut.WaitForElements("[data-testid=row-assign]")[2].Change("p2");

        cut.WaitForAssertion(() => Assert.Equal(["assign-region [b#0] p2 by otto"], regionDecisions.Calls));
    }

    [Fact]
    public void Keyboard_JMovesXTicksRRejects()
    {
        SignIn("otto", DashboardRoles.Operator);
        var cut = RenderPage();
        var keys = cut.WaitForElement("[data-testid=review-keys]");

        keys.KeyDown("j");
        cut.WaitForAssertion(() => Assert.Contains("anc-cursor", cut.FindAll("[data-testid=review-table] tbody tr")[1].ClassName));
        cut.Find("[data-testid=review-keys]").KeyDown("x");
        cut.Find("[data-testid=review-keys]").KeyDown("r");

        cut.WaitForAssertion(() => Assert.Equal(["reject-region [a#1] - by otto"], regionDecisions.Calls));
        Assert.Contains("confirm the class", cut.Find("[data-testid=review-shortcuts]").TextContent);
    }

    private IRenderedComponent<ReviewPage> RenderPage()
    {
        Render<MudSnackbarProvider>();
        return Render<ReviewPage>(p => p.Add(x => x.LineId, "press-7"));
    }

    private void SignIn(string name, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
    }

    private static LineSummary Line() =>
        new("press-7", LineSettings.Empty, 2, 2, 3,
            [Classes.Of("c1", ClassStatus.Confirmed, 1, "Scratch"), Classes.Of("p2", ClassStatus.Proposed, 1), Classes.Of("p3", ClassStatus.Proposed, 1)],
            null, Array.Empty<ModelVersion>(), Classes.At);
}
