using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Components.Dialogs;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AnomalyNcd.Dashboard.Tests.Components;

public sealed class ClassNameDialogTests : DashboardTestContext
{
    private static readonly DefectClass[] Line =
    [
        Classes.Of("0", ClassStatus.Confirmed, 10, "Scratch"),
        Classes.Of("1", ClassStatus.Proposed, 4),
    ];

    [Theory]
    [InlineData("", "A class name is required.")]
    [InlineData("   ", "A class name is required.")]
    [InlineData("SCRATCH", "is already the name of class 0")]
    public async Task Submit_WithAnEmptyOrDuplicateName_ShowsTheErrorAndStaysOpen(string typed, string expectedError)
    {
        var (provider, dialog) = await ShowAsync();

        provider.Find("input").Input(typed);
        provider.Find("[data-testid=class-name-submit]").Click();

        Assert.Contains(expectedError, provider.Markup);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Submit_WithANewName_ClosesWithTheTrimmedName()
    {
        var (provider, dialog) = await ShowAsync();

        provider.Find("input").Input("  Dent ");
        provider.Find("[data-testid=class-name-submit]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(result);
        Assert.False(result.Canceled);
        Assert.Equal("Dent", result.Data);
    }

    [Fact]
    public async Task Dialog_OffersNamesFromOtherLines_AndAChipFillsTheName()
    {
        var vocabulary = PlantVocabulary.From(
        [
            ("press-2", [Classes.Of("c4", ClassStatus.Confirmed, 3, "Dent"), Classes.Of("c5", ClassStatus.Confirmed, 3, "scratch")]),
        ]);
        var (provider, dialog) = await ShowAsync(vocabulary);

        var chips = provider.FindAll("[data-testid=plant-names] .mud-chip");
        Assert.Equal(["Dent"], chips.Select(c => c.TextContent.Trim()));
        chips[0].Click();
        provider.Find("[data-testid=class-name-submit]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("Dent", result!.Data);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> ShowAsync(PlantVocabulary? vocabulary = null)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<ClassNameDialog>
        {
            { d => d.ClassId, "1" },
            { d => d.LineClasses, Line },
            { d => d.LineId, "press-1" },
            { d => d.Vocabulary, vocabulary ?? PlantVocabulary.Empty },
        };
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<ClassNameDialog>("Name", parameters));
        return (provider, reference!);
    }
}
