using System.Numerics;
using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Binarization;

/// <summary>
/// Widths around the vector width (the vector loops finish with one overlapping vector) and the
/// 256×256 maps the ingest path sees: erosion equals OpenCV's, fast MEBin equals the reference loop.
/// </summary>
public class MebinFastVectorEdgeTests
{
    public static IEnumerable<object[]> Widths()
    {
        var lanes = Vector<byte>.Count;
        foreach (var width in new[] { lanes - 1, lanes, lanes + 1, lanes + 5, (2 * lanes) - 1, (2 * lanes) + 7, 256, 257 }.Distinct())
        {
            yield return [width];
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Erode_WidthsAroundVectorWidth_EqualOpenCv(int width)
    {
        var random = new Random(width);
        foreach (var kernel in new[] { 2, 6, 9 })
        {
            var image = SyntheticAnomalyMaps.Noise(random, width, 23);
            var own = new GrayImage(width, 23);
            MinFilter.Erode(image.Pixels, own.Pixels, new byte[image.Pixels.Length], width, 23, kernel);

            using var source = image.ToMat();
            using var eroded = new Mat();
            using var ones = Mat.Ones(kernel, kernel, MatType.CV_8UC1).ToMat();
            Cv2.Erode(source, eroded, ones);
            Assert.Equal(GrayImage.FromMat(eroded).Pixels, own.Pixels);
        }
    }

    [Fact]
    public void Binarize_DetectorLike256Maps_FastEqualsReference()
    {
        var random = new Random(256);
        var maps = Enumerable.Range(0, 6).Select(_ => SyntheticAnomalyMaps.DetectorLike(random, 256, 256)).ToList();
        foreach (var range in new[] { MebinRange.FromMaps(maps, DegenerateRangePolicy.UseGlobalMinimum), new MebinRange(0, 255) })
        {
            foreach (var map in maps)
            {
                var fast = MebinFast.Binarize(map, range);
                var reference = MebinReference.Binarize(map, range);
                Assert.Equal(reference.Counts, fast.Counts);
                Assert.Equal(reference.Choice, fast.Choice);
                Assert.Equal(reference.Mask.Pixels, fast.Mask.Pixels);
            }
        }
    }
}
