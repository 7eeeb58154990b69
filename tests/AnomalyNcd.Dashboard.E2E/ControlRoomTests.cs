using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;
using AnomalyNcd.Dashboard.E2E.Support;
using Microsoft.Playwright;

namespace AnomalyNcd.Dashboard.E2E;

/// <summary>
/// Issue 20: the overview as a control room. It shows a line's pending work (proposed classes to name, their regions
/// to review) and, once an admin sets an alarm rule that the line's data exceeds, the alarm with its value.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Browser)]
[Collection(BrowserCollection.Name)]
public sealed class ControlRoomTests
{
    private const string Line = "control-room";

    [Fact]
    public async Task Overview_ShowsPendingWork_AndTheAlarmAnAdminsRuleRaises()
    {
        await using var host = await BrowserHost.StartAsync();
        await SeedAsync(host.Grains);
        var operatorPage = await host.SignInAsync(E2EUsers.OperatorName, E2EUsers.OperatorPassword);
        var row = $"[data-testid=control-line][data-line={Line}]";

        await BrowserHost.OpenAsync(operatorPage, $"{host.BaseUrl}/", $"{row} [data-testid=classes-waiting]");

        Assert.Contains("2 waiting", await operatorPage.InnerTextAsync($"{row} [data-testid=classes-waiting]"));
        Assert.Contains("2 to review", await operatorPage.InnerTextAsync($"{row} [data-testid=regions-waiting]"));
        Assert.Equal("ok", (await operatorPage.InnerTextAsync($"{row} [data-testid=line-health]")).Trim());

        var adminPage = await host.SignInAsync(E2EUsers.AdminName, E2EUsers.AdminPassword);
        var status = await adminPage.EvaluateAsync<int>(
            """
            async line => (await fetch(`/api/lines/${line}/alarm-rules`, {
                method: 'PUT',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify([{ kind: 'AnomalyRate', thresholdPercent: 25, windowMinutes: 60 }]),
            })).status
            """,
            Line);
        Assert.Equal(200, status);

        // The operator's open overview refreshes on the line's change; no reload.
        var alarm = operatorPage.Locator($"{row} [data-testid=line-alarm]");
        await alarm.WaitForAsync();
        Assert.Contains("anomaly rate above 25 %", await alarm.InnerTextAsync());
        Assert.Contains("50.0 %", await alarm.InnerTextAsync());
        Assert.Equal("alarm", (await operatorPage.InnerTextAsync($"{row} [data-testid=line-health]")).Trim());
    }

    /// <summary>A line with two proposed classes (one region each) on two of its four images: 50 % anomalous now.</summary>
    private static async Task SeedAsync(IGrainFactory grains)
    {
        var line = grains.GetGrain<IProductLineGrain>(Line);
        await line.CreateAsync(LineSettings.Empty);
        var artefact = new ArtefactRef(new string('e', 64), "crop", "png", 1);
        await line.RegisterModelAsync(new ModelVersion(
            "v1", Line, new ArtefactRef(new string('0', 64), "checkpoint", "bin", 1),
            [new ModelClass(0, "k0", null, false, 0), new ModelClass(1, "k1", null, false, 0)], 2, null, null, null, DateTimeOffset.UtcNow, null, null));
        string?[] classes = ["k0", null, "k1", null];
        var now = DateTimeOffset.UtcNow;
        await line.RecordImagesAsync([.. classes.Select((c, i) =>
        {
            var imageId = $"cr-{i}";
            RegionResult[] regions = c is null ? [] : [new RegionResult(new RegionKey(Line, imageId, 0), new RegionBox(0, 0, 4, 4), 16, 0.9, artefact, artefact, null, c, 0.8, "v1", null)];
            return new ImageResult(Line, imageId, c is null ? ImageStatus.NoAnomaly : ImageStatus.Classified, artefact, null, null, 64, 64, regions, null, null, now, now, 1.0);
        })]);
    }
}
