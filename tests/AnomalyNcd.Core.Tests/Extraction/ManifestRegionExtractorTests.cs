using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Synthetic;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Extraction;

public class ManifestRegionExtractorTests
{
    private const int Size = 128;

    [Fact]
    public void Run_SyntheticLine_RegionsTableMatchesCropsAndTestSplit()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 20, Size: Size, Seed: 3), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        var summaries = ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Split = "test" });

        var testRows = manifest.Rows.Where(r => r.Split == "test").ToList();
        Assert.InRange(testRows.Count, 1, 19); // some normals go to train
        var testImages = testRows.Select(r => r.Image).ToHashSet(StringComparer.Ordinal);
        var table = CsvTable.Read(Path.Combine(output, "regions.csv"));
        Assert.Equal(RegionRecord.Header, table[0]);
        var rows = table.Skip(1).ToList();
        Assert.NotEmpty(rows);

        var column = RegionRecord.Header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        foreach (var row in rows)
        {
            Assert.Contains(row[column["image"]], testImages);
            Assert.Equal("line-a", row[column["line"]]);
            var box = new[] { "left", "up", "right", "bottom" }.Select(c => double.Parse(row[column[c]], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            // PIL rounds box coordinates half-to-even before cropping (Math.Round's default).
            var expected = (Math.Round(box[2]) - Math.Round(box[0]), Math.Round(box[3]) - Math.Round(box[1]));
            using var crop = ImageFiles.Decode(Path.Combine(output, row[column["crop"]]), ImreadModes.Unchanged);
            using var mask = ImageFiles.Decode(Path.Combine(output, row[column["crop_mask"]]), ImreadModes.Unchanged);
            Assert.Equal(expected, ((double)crop.Width, (double)crop.Height));
            Assert.Equal(expected, ((double)mask.Width, (double)mask.Height));
            Assert.Equal(3, crop.Channels());
            Assert.Equal(1, mask.Channels());
        }

        var summary = Assert.Single(summaries);
        Assert.Equal("line-a", summary.Line);
        Assert.Equal(testRows.Count, summary.Images);
        Assert.Equal(rows.Count, summary.Crops);
        Assert.Equal(summary.Crops, summary.CropsPerLabel.Values.Sum());
        Assert.Equal(testRows.Count(r => r.Label != "good"), summary.LabelledDefectiveImages);
        Assert.InRange(summary.DefectiveImagesWithRegions, 0, summary.LabelledDefectiveImages);
        Assert.Equal(summary.ImagesWithRegions, summary.DefectiveImagesWithRegions + summary.NormalImagesWithRegions);
        Assert.True(summary.Regions >= summary.ImagesWithRegions);
        Assert.NotNull(summary.Binarization);

        var cropFiles = Directory.GetFiles(Path.Combine(output, "crops", "line-a", "images"));
        var maskFiles = Directory.GetFiles(Path.Combine(output, "crops", "line-a", "masks"));
        Assert.Equal(rows.Count, cropFiles.Length);
        Assert.Equal(rows.Count, maskFiles.Length);
    }

    [Fact]
    public void Run_WithoutWritingCrops_TableHasNoCropPathsAndNoCropsFolder()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 12, Size: 64, Seed: 9), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        var summaries = ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Split = "test", WriteCrops = false });

        var rows = CsvTable.Read(Path.Combine(output, "regions.csv")).Skip(1).ToList();
        Assert.Equal(summaries.Sum(s => s.Crops), rows.Count);
        Assert.All(rows, r => Assert.Equal(string.Empty, r[Array.IndexOf(RegionRecord.Header, "crop")]));
        Assert.False(Directory.Exists(Path.Combine(output, "crops")));
    }

    [Fact]
    public void Run_SplitWithoutMapRows_RefusedNamingManifestAndSplit()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 5, Size: 64, Seed: 1), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        var error = Assert.Throws<InvalidInputException>(() =>
            ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Split = "validation" }));

        Assert.Equal(data.ManifestPath, error.InputPath);
        Assert.Contains("no rows with an anomaly map in split 'validation'", error.Problem);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void Run_RowsWithoutMaps_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var manifestPath = temp.Combine("manifest.csv");
        var manifest = new Manifest(temp.Path, [new ManifestRow("a.png", Split: "test"), new ManifestRow("b.png", Split: "test")]);

        var error = Assert.Throws<InvalidInputException>(() =>
            ManifestRegionExtractor.Run(manifest, manifestPath, temp.Combine("out"), new ManifestRegionOptions { Split = "test" }));

        Assert.Contains("no rows with an anomaly map", error.Problem);
    }

    [Fact]
    public void Run_TruncatedGroundTruthMask_RefusedNamingTheMask()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 10, Size: 64, Seed: 4), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var maskPath = manifest.Resolve(manifest.Rows.Last(r => r.Split == "test").Mask!);
        var bytes = File.ReadAllBytes(maskPath);
        File.WriteAllBytes(maskPath, bytes[..(bytes.Length / 2)]);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        // Refused as bad input (one line, exit code 2 in the CLI), not as an AggregateException from the parallel loop.
        var error = Assert.Throws<InvalidInputException>(() =>
            ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Split = "test" }));

        Assert.Equal(maskPath, error.InputPath);
        Assert.Contains("truncated PNG", error.Problem);
        Assert.False(File.Exists(Path.Combine(output, "regions.csv")));
    }

    [Fact]
    public void Run_GroundTruthMasks_OneCropPerTrueRegionAndWholeImageForNormals()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 20, Size: Size, Seed: 5), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Split = "test", Source = RegionSource.GroundTruthMasks });

        var table = CsvTable.Read(Path.Combine(output, "regions.csv"));
        var column = RegionRecord.Header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var byImage = table.Skip(1).GroupBy(r => r[column["image"]]).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var row in manifest.Rows.Where(r => r.Split == "test"))
        {
            var crops = byImage[row.Image];
            if (row.Label == "good")
            {
                // Empty mask: the whole image, empty crop mask, score 0.
                var crop = Assert.Single(crops);
                Assert.Equal("0", crop[column["area"]]);
                Assert.Equal("0", crop[column["score"]]);
                Assert.Equal(("0", "0"), (crop[column["left"]], crop[column["up"]]));
            }
            else
            {
                Assert.All(crops, c => Assert.Equal("1", c[column["score"]]));
                Assert.Contains(crops, c => int.Parse(c[column["area"]], System.Globalization.CultureInfo.InvariantCulture) > 0);
            }
        }
    }

    [Fact]
    public void Run_ForcedEstimateOne_KeepsAtMostTwoCropsPerImage()
    {
        using var temp = TestData.NewTempFolder();
        var data = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 20, Size: Size, Seed: 6), temp.Combine("data"));
        var manifest = Manifest.Load(data.ManifestPath);
        var output = temp.Combine("regions");
        Directory.CreateDirectory(output);

        ManifestRegionExtractor.Run(manifest, data.ManifestPath, output, new ManifestRegionOptions { Source = RegionSource.GroundTruthMasks, Extraction = RegionExtractionOptions.Default with { ForcedEstimate = 1 } });

        var table = CsvTable.Read(Path.Combine(output, "regions.csv"));
        Assert.All(table.Skip(1).GroupBy(r => r[0]), g => Assert.InRange(g.Count(), 1, 2));
    }

    [Theory]
    [InlineData("images/a.png", "images__a-")]
    [InlineData("./x/y z.jpg", "x__y_z-")]
    [InlineData("plain.bmp", "plain-")]
    public void SafeName_PathBecomesFlatFileStemWithPathHash(string image, string expectedPrefix)
    {
        var name = ManifestRegionExtractor.SafeName(image);
        Assert.StartsWith(expectedPrefix, name);
        Assert.Equal(expectedPrefix.Length + 8, name.Length);
    }

    [Theory]
    [InlineData("a.png", "a.jpg")]
    [InlineData("x y.png", "x_y.png")]
    [InlineData("dir/a.png", "dir__a.png")]
    public void SafeName_DistinctImages_GetDistinctNames(string first, string second)
    {
        Assert.NotEqual(ManifestRegionExtractor.SafeName(first), ManifestRegionExtractor.SafeName(second));
    }
}
