using AnomalyNcd.Core.Cropping;

namespace AnomalyNcd.Core.Tests.Cropping;

public class PilBicubicTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(0.25, 0.8671875)]
    [InlineData(-0.75, 0.2265625)]
    [InlineData(1.25, -0.0703125)]
    public void Kernel_KeysCubicWithAMinusHalf(double x, double expected)
    {
        Assert.Equal(expected, PilBicubic.Kernel(x), 15);
    }

    [Fact]
    public void Resize_UpscaleTwoToFour_UsesPixelCentresAndRenormalisedEdgeWeights()
    {
        // Output i samples at (i + 0.5) / 2 − 0.5 in input pixels; taps cut by the edge are renormalised:
        // out[0] = 100 · K(1.25) / (K(0.25) + K(1.25)), out[1] = 100 · K(0.75) / (K(0.25) + K(0.75)).
        var result = PilBicubic.Resize([0f, 100f], 2, 1, 4, 1);

        Assert.Equal(
            [(float)(-7.03125 / 0.796875), (float)(22.65625 / 1.09375), (float)(86.71875 / 1.09375), (float)(86.71875 / 0.796875)],
            result);
    }

    [Fact]
    public void Resize_DownscaleFourToTwo_WidensSupportByScale()
    {
        // Scale 2: support 4, kernel evaluated at (offset) / 2; all four inputs contribute to each output.
        var result = PilBicubic.Resize([0f, 0f, 0f, 100f], 4, 1, 2, 1);

        Assert.Equal([(float)(-7.03125 / 1.890625), (float)(86.71875 / 1.890625)], result);
    }

    [Fact]
    public void Resize_VerticalPass_MatchesHorizontalPassOnTransposedInput()
    {
        var horizontal = PilBicubic.Resize([5f, 80f, 20f], 3, 1, 7, 1);
        var vertical = PilBicubic.Resize([5f, 80f, 20f], 1, 3, 1, 7);

        Assert.Equal(horizontal, vertical);
        Assert.Equal(7, vertical.Length);
    }

    [Fact]
    public void Resize_ConstantImage_StaysConstant()
    {
        var result = PilBicubic.Resize(Enumerable.Repeat(42f, 15).ToArray(), 5, 3, 7, 2);

        Assert.All(result, v => Assert.Equal(42f, v, 4));
    }

    [Fact]
    public void Resize_SameSize_IsIdentity()
    {
        float[] pixels = [1f, 2.5f, 3f, 4f];

        Assert.Same(pixels, PilBicubic.Resize(pixels, 2, 2, 2, 2));
    }
}
