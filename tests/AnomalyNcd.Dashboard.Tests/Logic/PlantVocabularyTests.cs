using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class PlantVocabularyTests
{
    private static readonly PlantVocabulary Vocabulary = PlantVocabulary.From(
    [
        ("press-1", [Classes.Of("c0", ClassStatus.Confirmed, 5, "Scratch"), Classes.Of("c1", ClassStatus.Proposed, 3, "maybe dent"), Classes.Of("c2", ClassStatus.Confirmed, 2, "Crack")]),
        ("press-2", [Classes.Of("c0", ClassStatus.Confirmed, 9, "scratch"), Classes.Of("c5", ClassStatus.Confirmed, 1, "Oil stain")]),
        ("press-3", [Classes.Of("c9", ClassStatus.Rejected, 4, "Glare")]),
    ]);

    [Fact]
    public void From_KeepsConfirmedNamesOnly_CaseInsensitively_WithTheLinesUsingThem()
    {
        Assert.Equal(["Crack", "Oil stain", "Scratch"], Vocabulary.Names);
        Assert.Equal(["press-1", "press-2"], Vocabulary.LinesUsing("SCRATCH"));
        Assert.Empty(Vocabulary.LinesUsing("Glare"));
    }

    [Fact]
    public void Suggestions_OfferNamesFromOtherLinesNotTakenHere_FilteredByWhatWasTyped()
    {
        DefectClass[] press1 = [Classes.Of("c0", ClassStatus.Confirmed, 5, "Scratch"), Classes.Of("c1", ClassStatus.Proposed, 3), Classes.Of("c2", ClassStatus.Confirmed, 2, "Crack")];

        // Naming c1 on press-1: "Scratch" is taken by c0 here, "Crack" is only used here; "Oil stain" comes from press-2.
        Assert.Equal(["Oil stain"], Vocabulary.Suggestions("press-1", null, press1, "c1"));
        // Renaming c0 itself: its own name does not block the shared one.
        Assert.Equal(["Oil stain", "Scratch"], Vocabulary.Suggestions("press-1", "", press1, "c0"));
        Assert.Equal(["Scratch"], Vocabulary.Suggestions("press-4", "RAT", [], "c7"));
        Assert.Empty(Vocabulary.Suggestions("press-4", "dent", [], "c7"));
    }
}
