using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Discovery;

namespace AnomalyNcd.Core.Tests.Discovery;

/// <summary>
/// Narrowing a detector blob's visible tokens to those that differ from the crop's context
/// (<see cref="TokenContrast"/>), on hand-made token grids: texture tokens are near one vector, defect tokens far from it.
/// </summary>
public class TokenContrastTests
{
    private const int Channels = 8;
    private const int Tokens = 64;

    [Fact]
    public void Narrow_BlobOverTextureAndDefect_KeepsOnlyTheDefectTokens()
    {
        // Tokens 0-39 hidden texture; 40-55 visible texture (the blob's margin); 56-63 visible defect.
        var tokens = Grid(t => t >= 56 ? Defect(t) : Texture(t));
        var visible = Enumerable.Range(0, Tokens).Select(t => t >= 40).ToArray();

        var narrowed = TokenContrast.Narrow(tokens, visible, Channels, fraction: 0.7);

        for (var t = 0; t < Tokens; t++)
        {
            Assert.Equal(t >= 56, narrowed[t]);
        }
    }

    [Fact]
    public void Narrow_FractionOne_KeepsTheMostDistinctTokenOnly()
    {
        var tokens = Grid(t => t == 60 ? Scaled(Defect(t), 2) : t >= 56 ? Defect(t) : Texture(t));
        var visible = Enumerable.Range(0, Tokens).Select(t => t >= 40).ToArray();

        var narrowed = TokenContrast.Narrow(tokens, visible, Channels, fraction: 1);

        Assert.Equal([60], Enumerable.Range(0, Tokens).Where(t => narrowed[t]));
    }

    [Fact]
    public void Narrow_TooLittleContext_LeavesTheMaskAsItIs()
    {
        var tokens = Grid(t => t >= 56 ? Defect(t) : Texture(t));
        var visible = Enumerable.Range(0, Tokens).Select(t => t >= TokenContrast.MinimumContext - 1).ToArray();

        Assert.Same(visible, TokenContrast.Narrow(tokens, visible, Channels, fraction: 0.7));
    }

    [Fact]
    public void Narrow_OneVisibleToken_StaysVisible()
    {
        var tokens = Grid(Texture);
        var visible = new bool[Tokens];
        visible[10] = true;

        Assert.Equal([10], Enumerable.Range(0, Tokens).Where(t => TokenContrast.Narrow(tokens, visible, Channels, 0.7)[t]));
    }

    [Fact]
    public void Apply_Off_ReturnsTheMaskUnchanged()
    {
        var tokens = Grid(t => t >= 56 ? Defect(t) : Texture(t));
        var visible = Enumerable.Range(0, Tokens).Select(t => t >= 40).ToArray();

        Assert.Same(visible, TokenContrast.Apply(tokens, visible, Channels, 0));
        Assert.NotSame(visible, TokenContrast.Apply(tokens, visible, Channels, 0.7));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_OutsideZeroToOne_IsRefusedNamingTheOption(double fraction)
    {
        var error = Assert.Throws<InvalidInputException>(() => TokenContrast.Validate(fraction));
        Assert.Contains("--token-contrast", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, TokenContrastDefaults.MapsGiven)]
    [InlineData(5, 10, TokenContrastDefaults.MapsGiven)]
    [InlineData(6, 10, TokenContrastDefaults.DetectorMaps)]
    [InlineData(10, 10, TokenContrastDefaults.DetectorMaps)]
    public void ForCrops_MostCropsFromDetectorMaps_TakesTheDetectorDefault(int fromDetector, int total, double expected) =>
        Assert.Equal(expected, TokenContrastDefaults.ForCrops(fromDetector, total));

    private static float[] Grid(Func<int, float[]> token) => [.. Enumerable.Range(0, Tokens).SelectMany(token)];

    /// <summary>Normal texture: near (1, 1, …), with a small deterministic wobble per token.</summary>
    private static float[] Texture(int t) => [.. Enumerable.Range(0, Channels).Select(c => 1f + (0.05f * (((t * 7) + c) % 5)))];

    /// <summary>A defect: far from the texture along the first channels.</summary>
    private static float[] Defect(int t) => [.. Enumerable.Range(0, Channels).Select(c => c < 4 ? 4f + (0.05f * (t % 3)) : 1f)];

    private static float[] Scaled(float[] values, float factor) => [.. values.Select(v => v * factor)];
}
