using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

public class MapAttachmentTests
{
    [Fact]
    public void Attach_SmallerMaps_ResizedToImageAndNormalisedTogether()
    {
        using var temp = TestData.NewTempFolder();
        foreach (var name in new[] { "x", "y" })
        {
            ImageFiles.WritePng(temp.Combine("data", name + ".png"), new GrayImage(8, 6));
        }

        var manifest = new Manifest(temp.Combine("data"), [new ManifestRow("x.png", Split: "test"), new ManifestRow("y.png", Split: "test"), new ManifestRow("z.png", Split: "train")]);
        AnomalyMapFile.Write(temp.Combine("maps", "x.npy"), new FloatMap(4, 3, [.. Enumerable.Repeat(1f, 12)]), AnomalyMapFormat.Npy);
        AnomalyMapFile.Write(temp.Combine("maps", "y.npy"), new FloatMap(4, 3, [.. Enumerable.Range(0, 12).Select(i => i == 11 ? 5f : 1f)]), AnomalyMapFormat.Npy);
        AnomalyMapFile.Write(temp.Combine("maps", "orphan.npy"), new FloatMap(1, 1), AnomalyMapFormat.Npy);
        var output = temp.Combine("out");

        var result = MapAttachment.Attach(manifest, temp.Combine("maps"), output, split: "test", line: null);

        var y = ImageFiles.ReadGray(result.Manifest.Resolve(result.Manifest.Rows[1].AnomalyMap!));
        Assert.Equal((8, 6), (y.Width, y.Height));
        Assert.Equal(4, y.CountNonZero()); // the one bright source pixel covers 2x2 image pixels
        Assert.Equal(0, ImageFiles.ReadGray(result.Manifest.Rows[0].AnomalyMap!).Max()); // the joint minimum
        Assert.Null(result.Manifest.Rows[2].AnomalyMap);
        Assert.Equal((1f, 5f), (result.Calibrations[0].Min, result.Calibrations[0].Max));
        Assert.Contains("orphan.npy", File.ReadAllText(Path.Combine(output, "unmatched.csv")));
    }
}
