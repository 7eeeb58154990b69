using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ReviewSelectionTests
{
    private static readonly RegionKey[] Page = [Key("a", 0), Key("a", 1), Key("b", 0)];

    [Fact]
    public void Targets_AreTheTickedRegionsElseTheRowUnderTheCursor()
    {
        var selection = new ReviewSelection();
        selection.Move(1, Page.Length);
        Assert.Equal([Page[1]], selection.Targets(Page));

        selection.Toggle(Page[2]);
        selection.Toggle(Page[0]);
        Assert.Equal([Page[0], Page[2]], selection.Targets(Page));

        selection.Toggle(Page[0]);
        Assert.Equal([Page[2]], selection.Targets(Page));
        Assert.Empty(new ReviewSelection().Targets([]));
    }

    [Fact]
    public void ToggleAll_TicksThePageThenClearsIt()
    {
        var selection = new ReviewSelection();
        selection.Toggle(Page[0]);

        selection.ToggleAll(Page);
        Assert.True(selection.AllSelected(Page));
        Assert.Equal(3, selection.Selected.Count);

        selection.ToggleAll(Page);
        Assert.Empty(selection.Selected);
        Assert.False(selection.AllSelected([]));
    }

    [Fact]
    public void Move_StaysOnThePage_AndRetainDropsRegionsThatLeftTheQueue()
    {
        var selection = new ReviewSelection();
        selection.Move(-1, 3);
        Assert.Equal(0, selection.Cursor);
        selection.Move(5, 3);
        Assert.Equal(2, selection.Cursor);

        selection.ToggleAll(Page);
        selection.Retain([Page[1]], 1);
        Assert.Equal([Page[1]], selection.Selected);
        Assert.Equal(0, selection.Cursor);
    }

    [Theory]
    [InlineData("c", ReviewKey.Confirm)]
    [InlineData("R", ReviewKey.Reject)]
    [InlineData("j", ReviewKey.Down)]
    [InlineData("ArrowUp", ReviewKey.Up)]
    [InlineData("x", ReviewKey.Select)]
    [InlineData("q", ReviewKey.None)]
    public void Shortcuts_MapKeysToActions(string key, ReviewKey expected) => Assert.Equal(expected, ReviewShortcuts.Of(key));

    [Fact]
    public void Shortcuts_HelpNamesEveryKeyTheHandlerKnows()
    {
        Assert.All(ReviewShortcuts.Help, h => Assert.NotEqual(ReviewKey.None, ReviewShortcuts.Of(h.Key)));
        Assert.Equal(5, ReviewShortcuts.Help.Count);
    }

    private static RegionKey Key(string image, int index) => new("press-7", image, index);
}
