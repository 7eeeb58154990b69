using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class AlarmRulesEditorTests : DashboardTestContext
{
    [Fact]
    public void Admin_AddsARule_AndSavesThemUnderTheirName()
    {
        SignIn("ada", DashboardRoles.Admin);
        Alarms.Rules["press-7"] = [new AlarmRule(AlarmKind.NewClass)];
        var cut = Render<AlarmRulesEditor>(p => p.Add(x => x.LineId, "press-7"));

        cut.Find("[data-testid=alarm-kind]").Change(nameof(AlarmKind.ClassShare));
        cut.Find("[data-testid=alarm-threshold]").Change("5");
        cut.Find("[data-testid=alarm-class]").Change("c2");
        cut.Find("[data-testid=alarm-rule-add]").Click();
        cut.Find("[data-testid=alarm-rules-save]").Click();

        var change = Assert.Single(Alarms.Changes);
        Assert.Equal(("ada", "press-7"), (change.User, change.LineId));
        Assert.Equal([new AlarmRule(AlarmKind.NewClass), new AlarmRule(AlarmKind.ClassShare, 5, "c2")], change.Rules);
        Assert.Equal(2, cut.FindAll("[data-testid=alarm-rule]").Count);
        Assert.Contains("class c2 above 5 % of images in the last 60 min", cut.Markup);
        Assert.Contains("Saved 2", cut.Find("[data-testid=alarm-rules-message]").TextContent);
    }

    [Fact]
    public void Admin_AnInvalidRule_IsNamedAndNotAdded()
    {
        SignIn("ada", DashboardRoles.Admin);
        var cut = Render<AlarmRulesEditor>(p => p.Add(x => x.LineId, "press-7"));

        cut.Find("[data-testid=alarm-kind]").Change(nameof(AlarmKind.AnomalyRate));
        cut.Find("[data-testid=alarm-threshold]").Change("150");
        cut.Find("[data-testid=alarm-rule-add]").Click();

        Assert.Contains("thresholdPercent", cut.Find("[data-testid=alarm-rules-message]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=alarm-rule]"));
        Assert.True(cut.Find("[data-testid=alarm-rules-save]").HasAttribute("disabled"));
        Assert.Empty(Alarms.Changes);
    }

    [Theory]
    [InlineData(DashboardRoles.Operator)]
    [InlineData(DashboardRoles.Viewer)]
    public void NonAdmins_SeeTheRules_WithoutTheEditor(string role)
    {
        SignIn("olga", role);
        Alarms.Rules["press-7"] = [new AlarmRule(AlarmKind.AnomalyRate, 20)];

        var cut = Render<AlarmRulesEditor>(p => p.Add(x => x.LineId, "press-7"));

        Assert.Contains("anomaly rate above 20 % in the last 60 min", cut.Find("[data-testid=alarm-rule]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=alarm-rule-editor]"));
        Assert.Empty(cut.FindAll("[data-testid=alarm-rule-remove]"));
    }

    [Fact]
    public async Task GrainLineAlarms_RefusesAnOperatorBeforeAnyGrainCall()
    {
        var alarms = new GrainLineAlarms(null!);

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => alarms.SetRulesAsync(Users.WithRole("olga", DashboardRoles.Operator), "press-7", [new AlarmRule(AlarmKind.NewClass)]));

        Assert.Contains("admin", refused.Message);
    }

    private void SignIn(string name, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
    }
}
