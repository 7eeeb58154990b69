using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Components.Dialogs;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class SplitDialogTests : DashboardTestContext
{
    private static readonly DefectClass[] Line =
    [
        Classes.Of("0", ClassStatus.Confirmed, 10, "Scratch"),
        Classes.Of("1", ClassStatus.Proposed, 4),
    ];

    // MudTextField puts extra attributes on its input element.
    private const string NameInput = "input[data-testid=split-name-input], [data-testid=split-name-input] input";

    private static readonly RegionKey[] Regions =
    [
        new("press-7", "img-1", 0),
        new("press-7", "img-2", 3),
        new("press-7", "img-3", 1),
    ];

    [Fact]
    public async Task Submit_WithNoRegionSelected_IsRefusedAndStaysOpen()
    {
        var (provider, dialog) = await ShowAsync();

        provider.Find(NameInput).Input("Dent");
        provider.Find("[data-testid=split-submit]").Click();

        Assert.Contains("Select at least one region", provider.Find("[data-testid=split-error]").TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Theory]
    [InlineData("", "A class name is required.")]
    [InlineData("scratch", "is already the name of class 0")]
    public async Task Submit_WithAnEmptyOrDuplicateName_ShowsTheErrorAndStaysOpen(string typed, string expectedError)
    {
        var (provider, dialog) = await ShowAsync();

        provider.Find("[data-testid=split-region-1]").Change(true);
        provider.Find(NameInput).Input(typed);
        provider.Find("[data-testid=split-submit]").Click();

        Assert.Contains(expectedError, provider.Find("[data-testid=split-error]").TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Submit_WithRegionsAndANewName_ClosesWithTheTickedRegionsInOrder()
    {
        var (provider, dialog) = await ShowAsync();

        provider.Find("[data-testid=split-region-2]").Change(true);
        provider.Find("[data-testid=split-region-0]").Change(true);
        provider.Find("[data-testid=split-region-1]").Change(true);
        provider.Find("[data-testid=split-region-1]").Change(false);
        provider.Find(NameInput).Input(" Dent ");
        provider.Find("[data-testid=split-submit]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(result);
        var split = Assert.IsType<SplitSelection>(result.Data);
        Assert.Equal("Dent", split.Name);
        Assert.Equal([Regions[0], Regions[2]], split.Regions);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> ShowAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<SplitDialog>
        {
            { d => d.Regions, Regions },
            { d => d.LineClasses, Line },
        };
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<SplitDialog>("Split", parameters));
        return (provider, reference!);
    }
}
