using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Synthetic;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Synthetic;

public class SyntheticDatasetWriterTests(SmallSyntheticDataset dataset) : IClassFixture<SmallSyntheticDataset>
{
    private Manifest LoadManifest() => Manifest.Load(dataset.Summary.ManifestPath);

    [Fact]
    public void Write_SameSeedTwice_IdenticalBytes()
    {
        using var temp = TestData.NewTempFolder();
        var again = SyntheticDatasetWriter.Write(SmallSyntheticDataset.Options, temp.Combine("again"));

        var first = RelativeFiles(dataset.Summary.Folder);
        var second = RelativeFiles(again.Folder);
        Assert.Equal(first, second);
        Assert.Equal(2 + (2 * 20 * 3), first.Count); // manifest.csv, defects.csv, image + mask + map per image
        foreach (var file in first)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(dataset.Summary.Folder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(again.Folder, file))),
                $"{file} differs between two runs with the same seed");
        }
    }

    [Fact]
    public void Write_DefectsCsv_OneRowPerPaintedDefectWithItsKindAndBox()
    {
        var rows = CsvTable.Read(dataset.Summary.DefectsPath);

        Assert.Equal(["image", "line", "kind", "left", "top", "width", "height", "area"], rows[0]);
        var expected = dataset.Summary.Images.SelectMany(i => i.Defects.Select(d => (i.Row.Image, d.Kind.Name(), d.Left, d.Width))).ToList();
        Assert.Equal(expected, rows.Skip(1).Select(r => (r[0], r[2], int.Parse(r[3]), int.Parse(r[5]))).ToList());
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void Write_OtherSeed_OtherImages()
    {
        using var temp = TestData.NewTempFolder();
        var other = SyntheticDatasetWriter.Write(SmallSyntheticDataset.Options with { Seed = 12 }, temp.Combine("other"));

        var differing = dataset.Summary.Images.Count(i =>
            !File.ReadAllBytes(Path.Combine(dataset.Summary.Folder, i.Row.Image)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Folder, i.Row.Image))));
        Assert.Equal(dataset.Summary.Images.Count, differing);
    }

    [Fact]
    public void Write_Manifest_CountsNormalsAndSplitsPerLine()
    {
        var manifest = LoadManifest();

        Assert.Equal(40, manifest.Rows.Count);
        foreach (var line in manifest.Rows.GroupBy(r => r.Line))
        {
            var rows = line.ToList();
            Assert.Equal(20, rows.Count);
            var normals = rows.Where(r => r.Label == DefectKinds.NormalLabel).ToList();
            Assert.Equal(6, normals.Count); // 30 % of 20
            // The first 60 % of the normal images (in order) are train, everything else test.
            Assert.All(normals.Take(4), r => Assert.Equal("train", r.Split));
            Assert.All(normals.Skip(4), r => Assert.Equal("test", r.Split));
            Assert.All(rows.Where(r => r.Label != DefectKinds.NormalLabel), r => Assert.Equal("test", r.Split));
        }

        Assert.Equal(["line-a", "line-b"], manifest.Rows.Select(r => r.Line).Distinct());
    }

    [Fact]
    public void Write_Manifest_PathsRelativeAndFilesExist()
    {
        var manifest = LoadManifest();

        foreach (var row in manifest.Rows)
        {
            Assert.StartsWith($"{row.Line}/images/", row.Image);
            Assert.StartsWith($"{row.Line}/masks/", row.Mask);
            Assert.StartsWith($"{row.Line}/maps/", row.AnomalyMap);
            Assert.True(File.Exists(manifest.Resolve(row.Image)), row.Image);
            Assert.True(File.Exists(manifest.Resolve(row.Mask!)), row.Mask);
            Assert.True(File.Exists(manifest.Resolve(row.AnomalyMap!)), row.AnomalyMap);
        }
    }

    [Fact]
    public void Write_Labels_AreKindsOfTheLine()
    {
        var manifest = LoadManifest();

        foreach (var recipe in dataset.Summary.Lines)
        {
            var allowed = recipe.Kinds.Select(k => k.Name()).Append(DefectKinds.NormalLabel).ToHashSet();
            var labels = manifest.Rows.Where(r => r.Line == recipe.Name).Select(r => r.Label!).ToList();
            Assert.All(labels, l => Assert.Contains(l, allowed));
            Assert.True(labels.Distinct().Count() >= 3, $"{recipe.Name} uses only {string.Join(", ", labels.Distinct())}");
        }
    }

    [Fact]
    public void Write_TwoDefectImages_DifferentKindsLabelledByLargerArea()
    {
        var twoDefects = dataset.Summary.Images.Where(i => i.Defects.Count == 2).ToList();

        // 15 % of 14 defective images per line, rounded: 2 per line.
        Assert.Equal(4, twoDefects.Count);
        foreach (var image in twoDefects)
        {
            Assert.NotEqual(image.Defects[0].Kind, image.Defects[1].Kind);
            Assert.Equal(image.Defects.MaxBy(d => d.Area)!.Kind.Name(), image.Row.Label);
        }
    }

    [Fact]
    public void Write_Masks_NonEmptyExactlyForDefectiveImages_Binary_SameSizeAsImage()
    {
        var manifest = LoadManifest();

        foreach (var row in manifest.Rows)
        {
            var mask = ImageFiles.ReadGray(manifest.Resolve(row.Mask!));
            using var image = ImageFiles.Decode(manifest.Resolve(row.Image), ImreadModes.Unchanged);
            Assert.Equal((image.Width, image.Height), (mask.Width, mask.Height));
            Assert.All(mask.Pixels.Distinct(), p => Assert.True(p is 0 or 255, $"{row.Mask} has value {p}"));
            Assert.Equal(row.Label != DefectKinds.NormalLabel, mask.CountNonZero() > 0);
        }
    }

    [Fact]
    public void Write_MaskUnion_CoversEveryDefectAreaInsideTheImage()
    {
        var manifest = LoadManifest();
        var size = SmallSyntheticDataset.Options.Size;

        foreach (var image in dataset.Summary.Images.Where(i => i.Defects.Count > 0))
        {
            var maskPixels = ImageFiles.ReadGray(manifest.Resolve(image.Row.Mask!)).CountNonZero();
            foreach (var defect in image.Defects)
            {
                Assert.True(defect.Area > 0, $"{image.Row.Image}: empty {defect.Kind}");
                Assert.InRange(defect.Left, 0, size - 1);
                Assert.InRange(defect.Top, 0, size - 1);
                Assert.InRange(defect.Left + defect.Width, 1, size);
                Assert.InRange(defect.Top + defect.Height, 1, size);
                Assert.True(maskPixels >= defect.Area, $"{image.Row.Image}: mask smaller than its {defect.Kind}");
            }

            Assert.True(maskPixels <= image.Defects.Sum(d => d.Area));
        }
    }

    [Fact]
    public void Write_Images_GrayOrColourPerLine()
    {
        var manifest = LoadManifest();

        foreach (var recipe in dataset.Summary.Lines)
        {
            foreach (var row in manifest.Rows.Where(r => r.Line == recipe.Name))
            {
                using var image = ImageFiles.Decode(manifest.Resolve(row.Image), ImreadModes.Unchanged);
                Assert.Equal(recipe.IsColor ? MatType.CV_8UC3 : MatType.CV_8UC1, image.Type());
                Assert.Equal(SmallSyntheticDataset.Options.Size, image.Width);
            }
        }

        Assert.Contains(dataset.Summary.Lines, l => l.IsColor);
        Assert.Contains(dataset.Summary.Lines, l => !l.IsColor);
    }

    [Fact]
    public void Write_Maps_EightBitScaledPerLineToMax255()
    {
        var manifest = LoadManifest();

        foreach (var line in manifest.Rows.GroupBy(r => r.Line))
        {
            var maps = line.Select(r =>
            {
                using var raw = ImageFiles.Decode(manifest.Resolve(r.AnomalyMap!), ImreadModes.Unchanged);
                Assert.Equal(MatType.CV_8UC1, raw.Type());
                return GrayImage.FromMat(raw);
            }).ToList();

            // Set-level scaling: exactly one line-wide maximum of 255 and minimum of 0, not one per image.
            Assert.Equal(255, maps.Max(m => m.Max()));
            Assert.Equal(0, maps.Min(m => m.Pixels.Min()));
            Assert.True(maps.Count(m => m.Max() == 255) < maps.Count / 2, $"{line.Key}: maps look scaled per image");
        }
    }

    [Fact]
    public void Write_ProgressReachesTotalForImagesAndMaps()
    {
        var total = 40;

        Assert.Contains(dataset.Progress, u => u == new ProgressUpdate(SyntheticDatasetWriter.ImagesStage, total, total));
        Assert.Contains(dataset.Progress, u => u == new ProgressUpdate(SyntheticDatasetWriter.MapsStage, total, total));
    }

    [Fact]
    public void Write_NonEmptyFolder_RefusedAndLeftAlone()
    {
        using var temp = TestData.NewTempFolder();
        File.WriteAllText(temp.Combine("keep.txt"), "user data");

        var error = Assert.Throws<InvalidInputException>(() =>
            SyntheticDatasetWriter.Write(SmallSyntheticDataset.Options with { ImagesPerLine = 2 }, temp.Path));

        Assert.Contains("not empty", error.Problem);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_EmptyExistingFolder_Filled_NoStagingLeft()
    {
        using var temp = TestData.NewTempFolder();
        var target = temp.Combine("empty");
        Directory.CreateDirectory(target);

        SyntheticDatasetWriter.Write(SmallSyntheticDataset.Options with { Lines = 1, ImagesPerLine = 2 }, target);

        Assert.True(File.Exists(Path.Combine(target, SyntheticDatasetWriter.ManifestFileName)));
        Assert.Equal(["empty"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    private static List<string> RelativeFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)
            .ToList();
}
