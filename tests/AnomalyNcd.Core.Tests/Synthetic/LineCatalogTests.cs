using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Core.Tests.Synthetic;

public class LineCatalogTests
{
    [Theory]
    [InlineData(0, "line-a")]
    [InlineData(25, "line-z")]
    [InlineData(26, "line-aa")]
    [InlineData(SyntheticOptions.MaxLines - 1, "line-zz")]
    public void LineName_CountsLikeSpreadsheetColumns(int index, string expected)
    {
        Assert.Equal(expected, LineCatalog.LineName(index));
    }

    [Fact]
    public void Create_EveryLineHasThreeToFiveDistinctKinds()
    {
        for (var index = 0; index < 40; index++)
        {
            var recipe = LineCatalog.Create(index, seed: 7);
            Assert.InRange(recipe.Kinds.Count, 3, 5);
            Assert.Equal(recipe.Kinds.Count, recipe.Kinds.Distinct().Count());
        }
    }

    [Fact]
    public void Create_FirstLinesDifferInSurfaceOrColour()
    {
        var recipes = Enumerable.Range(0, 6).Select(i => LineCatalog.Create(i, seed: 0)).ToList();

        Assert.Equal(6, recipes.Select(r => (r.Surface, r.IsColor)).Distinct().Count());
        Assert.Equal(4, recipes.Select(r => r.Surface).Distinct().Count());
    }
}
