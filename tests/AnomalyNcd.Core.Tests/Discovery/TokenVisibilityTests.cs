using AnomalyNcd.Core.Discovery;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Tests.Discovery;

/// <summary>Which token cells of a 224² crop mask the CLS query sees (<see cref="FeatureBankBuilder.VisibleTokens"/>).</summary>
public class TokenVisibilityTests
{
    private const int Side = CropTransforms.OutputSide;
    private const int Grid = 14;
    private const int Cell = Side / Grid;

    [Fact]
    public void VisibleTokens_HalfCoveredCells_AreVisibleAndLessCoveredOnesNot()
    {
        var mask = new byte[Side * Side];
        Fill(mask, x0: 0, y0: 0, width: Cell, height: Cell / 2);            // cell (0, 0): exactly half
        Fill(mask, x0: 2 * Cell, y0: 0, width: Cell, height: (Cell / 2) - 1); // cell (2, 0): just under half

        var visible = FeatureBankBuilder.VisibleTokens(mask, Grid);

        Assert.True(visible[0]);
        Assert.False(visible[2]);
        Assert.Equal(1, visible.Count(v => v));
    }

    [Fact]
    public void VisibleTokens_ThinLineWithNoHalfCoveredCell_ShowsTheCellsItCrosses()
    {
        // A vertical crack 3 px wide down column 5: every cell it crosses is 3/16 covered.
        var mask = new byte[Side * Side];
        Fill(mask, x0: (5 * Cell) + 6, y0: 0, width: 3, height: Side);

        var visible = FeatureBankBuilder.VisibleTokens(mask, Grid);

        for (var t = 0; t < visible.Length; t++)
        {
            Assert.Equal(t % Grid == 5, visible[t]);
        }
    }

    [Fact]
    public void VisibleTokens_ThinLine_FaintEndsBelowHalfTheDensestStayHidden()
    {
        var mask = new byte[Side * Side];
        Fill(mask, x0: 6, y0: 0, width: 4, height: Cell);            // cell (0, 0): 4/16
        Fill(mask, x0: Cell + 6, y0: 0, width: 1, height: Cell);     // cell (1, 0): 1/16, under half of 4/16

        var visible = FeatureBankBuilder.VisibleTokens(mask, Grid);

        Assert.True(visible[0]);
        Assert.False(visible[1]);
    }

    [Fact]
    public void VisibleTokens_EmptyMask_ShowsNoToken()
    {
        Assert.DoesNotContain(true, FeatureBankBuilder.VisibleTokens(new byte[Side * Side], Grid));
    }

    [Fact]
    public void VisibleTokens_QuarterCoverage_ShowsQuarterCoveredCellsAndNotLessCoveredOnes()
    {
        var mask = new byte[Side * Side];
        Fill(mask, x0: 0, y0: 0, width: Cell, height: Cell);                  // cell (0, 0): full
        Fill(mask, x0: 2 * Cell, y0: 0, width: Cell, height: Cell / 4);       // cell (2, 0): exactly a quarter
        Fill(mask, x0: 4 * Cell, y0: 0, width: Cell, height: (Cell / 4) - 1); // cell (4, 0): just under a quarter

        var quarter = FeatureBankBuilder.VisibleTokens(mask, Grid, coverage: 0.25);
        var reference = FeatureBankBuilder.VisibleTokens(mask, Grid);

        Assert.Equal([0, 2], Enumerable.Range(0, quarter.Length).Where(t => quarter[t]));
        Assert.Equal([0], Enumerable.Range(0, reference.Length).Where(t => reference[t]));
    }

    [Fact]
    public void VisibleTokens_QuarterCoverage_FallbackForThinLinesUsesTheSameShareOfTheDensestCell()
    {
        var mask = new byte[Side * Side];
        Fill(mask, x0: 0, y0: 0, width: 4, height: Cell);            // cell (0, 0): 4/16, the densest
        Fill(mask, x0: Cell, y0: 0, width: 1, height: Cell);         // cell (1, 0): 1/16, a quarter of the densest
        Fill(mask, x0: 3 * Cell, y0: 0, width: 1, height: Cell - 1); // cell (3, 0): just under

        var visible = FeatureBankBuilder.VisibleTokens(mask, Grid, coverage: 0.25);

        Assert.Equal([0, 1], Enumerable.Range(0, visible.Length).Where(t => visible[t]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.25)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void VisibleTokens_CoverageOutsideZeroToOne_IsRefusedWithTheValue(double coverage)
    {
        var error = Assert.Throws<AnomalyNcd.Core.Common.InvalidInputException>(() => FeatureBankBuilder.VisibleTokens(new byte[Side * Side], Grid, coverage));
        Assert.Contains("token coverage", error.Message);
    }

    private static void Fill(byte[] mask, int x0, int y0, int width, int height)
    {
        for (var y = y0; y < y0 + height; y++)
        {
            for (var x = x0; x < x0 + width; x++)
            {
                mask[(y * Side) + x] = 255;
            }
        }
    }
}
