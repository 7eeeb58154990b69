using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Core.Tests.Synthetic;

public class SyntheticOptionsTests
{
    [Theory]
    [InlineData(0, 10, 128, 0.3, "--lines")]
    [InlineData(SyntheticOptions.MaxLines + 1, 10, 128, 0.3, "--lines")]
    [InlineData(2, 0, 128, 0.3, "--images")]
    [InlineData(2, 10, 32, 0.3, "--size")]
    [InlineData(2, 10, 128, -0.1, "--normal-fraction")]
    [InlineData(2, 10, 128, 1.5, "--normal-fraction")]
    [InlineData(2, 10, 128, double.NaN, "--normal-fraction")]
    public void Validate_OutOfRange_NamesTheOption(int lines, int images, int size, double normalFraction, string option)
    {
        var options = new SyntheticOptions(lines, images, size, normalFraction);

        var error = Assert.Throws<InvalidInputException>(options.Validate);

        Assert.Equal(option, error.InputPath);
    }

    [Theory]
    [InlineData(0, 3, 1.0, "--defects-per-image")]
    [InlineData(5, 3, 1.0, "--defects-per-image")]
    [InlineData(1, SyntheticOptions.MaxDefectsPerImage + 1, 1.0, "--defects-per-image")]
    [InlineData(5, 10, 0.05, "--defect-scale")]
    [InlineData(5, 10, double.NaN, "--defect-scale")]
    public void Validate_ManyDefectsOutOfRange_NamesTheOption(int fewest, int most, double scale, string option)
    {
        var options = new SyntheticOptions { DefectsPerImage = (fewest, most), DefectScale = scale };

        var error = Assert.Throws<InvalidInputException>(options.Validate);

        Assert.Equal(option, error.InputPath);
    }

    [Fact]
    public void Validate_Defaults_Accepted()
    {
        var options = new SyntheticOptions();

        options.Validate();

        Assert.Equal((3, 200, 256, 0.3), (options.Lines, options.ImagesPerLine, options.Size, options.NormalFraction));
    }
}
