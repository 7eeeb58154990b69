using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using MudBlazor;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ClassActionsTests : DashboardTestContext
{
    private static readonly DefectClass Proposed = Classes.Of("1", ClassStatus.Proposed, 4);

    [Fact]
    public void Render_ForAViewer_HidesEveryAction()
    {
        SignIn("vera", DashboardRoles.Viewer);

        var cut = RenderActions();

        Assert.Empty(cut.FindAll("[data-testid=class-actions]"));
        Assert.Empty(cut.FindAll("button"));
        Assert.Single(cut.FindAll("[data-testid=read-only-note]"));
    }

    [Fact]
    public void Render_ForAnAnonymousVisitor_HidesEveryAction()
    {
        AddAuthorization().SetNotAuthorized();

        var cut = RenderActions();

        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void Render_ForAnOperator_OffersConfirmRenameMergeAndReject()
    {
        SignIn("otto", DashboardRoles.Operator);

        var cut = RenderActions();

        foreach (var action in new[] { "confirm", "rename", "merge", "reject" })
        {
            Assert.Single(cut.FindAll($"[data-testid=action-{action}]"));
        }
    }

    [Fact]
    public void Rename_ByAnOperator_SendsTheNameWithTheOperatorsName()
    {
        SignIn("otto", DashboardRoles.Operator);
        var provider = Render<MudDialogProvider>();
        var cut = RenderActions();

        cut.Find("[data-testid=action-rename]").Click();
        provider.WaitForElement("input").Input("Dent");
        provider.Find("[data-testid=class-name-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["rename line-a/1 'Dent' by otto"], Decisions.Calls));
    }

    private void SignIn(string name, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
    }

    private IRenderedComponent<ClassActions> RenderActions() =>
        Render<ClassActions>(p => p
            .Add(a => a.LineId, "line-a")
            .Add(a => a.Class, Proposed)
            .Add(a => a.LineClasses, [Proposed, Classes.Of("0", ClassStatus.Confirmed, 9, "Scratch")]));
}
