using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Training.Data;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Training.Data;

public class RegionsCsvCropReaderTests
{
    private const string Header = "image,region,left,up,right,bottom,area,score,line,label,crop,crop_mask";

    [Fact]
    public void Load_BaseAndNovelRegionsCsv_BuildsTheDataset()
    {
        using var temp = TestData.NewTempFolder();
        var baseCsv = WriteRegions(temp.Combine("base"), [("p/1.jpg", 0, "scratch", 0.0), ("p/1.jpg", 1, "scratch", 0.0), ("p/2.jpg", 0, "broken", 0.0)]);
        var novelCsv = WriteRegions(temp.Combine("novel"), [("m/a.png", 0, "MT_Crack", 0.75), ("m/b.png", 0, null, 0.5)]);

        using var dataset = CropDatasetLoader.Load(baseCsv, novelCsv);

        Assert.Equal(["broken", "scratch"], dataset.BaseClasses);
        Assert.Equal(["MT_Crack"], dataset.NovelClasses);
        Assert.Equal([1, 1, 0, -1, -1], dataset.Samples.Select(s => s.Label));
        Assert.Equal([1, 1, 0, 2, -1], dataset.Samples.Select(s => s.EvaluationClass));
        var novel = dataset.Samples[3];
        Assert.Equal("m/a.png", novel.SourceImage);
        Assert.Equal(0.75, novel.Score);
        Assert.Equal(new Size(30, 20), novel.Image.Size());
        Assert.Equal(6 * 4, novel.ForegroundArea);

        // Colours survive the BGR file round trip as RGB.
        Assert.Equal(new Vec3b(10, 20, 30), novel.Image.At<Vec3b>(0, 0));
    }

    [Fact]
    public void Load_WithLabelManifest_TakesEvaluationLabelsFromIt()
    {
        using var temp = TestData.NewTempFolder();
        var novelCsv = WriteRegions(temp.Combine("novel"), [("m/a.png", 0, null, 0.1), ("m/b.png", 0, "ignored", 0.2)]);
        var manifest = temp.Combine("manifest.csv");
        Manifest.Save(manifest, [new ManifestRow("m/a.png", Label: "MT_Fray"), new ManifestRow("m/b.png", Label: "MT_Break")]);

        using var dataset = CropDatasetLoader.Load(null, novelCsv, manifest);

        Assert.Equal(["MT_Break", "MT_Fray"], dataset.NovelClasses);
        Assert.Equal([1, 0], dataset.Samples.Select(s => s.EvaluationClass));
        Assert.All(dataset.Samples, s => Assert.Equal(-1, s.Label));
    }

    [Fact]
    public void Load_MissingCropFile_NamesTheFile()
    {
        using var temp = TestData.NewTempFolder();
        var novelCsv = WriteRegions(temp.Combine("novel"), [("m/a.png", 0, null, 0.1)]);
        var crop = Directory.GetFiles(temp.Combine("novel", "crops", "images")).Single();
        File.Delete(crop);

        var error = Assert.Throws<InvalidInputException>(() => CropDatasetLoader.Load(null, novelCsv));

        Assert.Equal(crop, error.InputPath);
    }

    [Fact]
    public void Load_MaskOfAnotherSize_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var novelCsv = WriteRegions(temp.Combine("novel"), [("m/a.png", 0, null, 0.1)]);
        var mask = Directory.GetFiles(temp.Combine("novel", "crops", "masks")).Single();
        ImageFiles.WritePng(mask, new GrayImage(5, 5));

        var error = Assert.Throws<InvalidInputException>(() => CropDatasetLoader.Load(null, novelCsv));

        Assert.Equal(mask, error.InputPath);
        Assert.Contains("5x5", error.Problem);
    }

    [Fact]
    public void Load_EmptyNovelRegions_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var novelCsv = WriteRegions(temp.Combine("novel"), []);

        var error = Assert.Throws<InvalidInputException>(() => CropDatasetLoader.Load(null, novelCsv));

        Assert.Equal(novelCsv, error.InputPath);
    }

    [Fact]
    public void Load_RowWithoutCropFile_IsRefused()
    {
        using var temp = TestData.NewTempFolder();
        var csv = temp.Combine("regions.csv");
        File.WriteAllText(csv, Header + "\nm/a.png,0,0,0,10,10,4,0.5,default,,,\n");

        var error = Assert.Throws<InvalidInputException>(() => CropDatasetLoader.Load(null, csv));

        Assert.Equal(csv, error.InputPath);
        Assert.Contains("line 2", error.Problem);
    }

    /// <summary>Writes 30x20 crops (RGB 10,20,30) with a 6x4 mask and a regions.csv as the extraction stage does.</summary>
    private static string WriteRegions(string folder, IReadOnlyList<(string Image, int Region, string? Label, double Score)> rows)
    {
        Directory.CreateDirectory(folder);
        var lines = new List<string> { Header };
        foreach (var (image, region, label, score) in rows)
        {
            var stem = image.Replace('/', '_').Replace('.', '_');
            var crop = $"crops/images/{stem}_crop{region}.png";
            var mask = $"crops/masks/{stem}_crop{region}.png";
            using var bgr = new Mat(20, 30, MatType.CV_8UC3, new Scalar(30, 20, 10));
            ImageFiles.WritePng(Path.Combine(folder, crop), bgr);
            ImageFiles.WritePng(Path.Combine(folder, mask), SyntheticCrops.RectangleMask(30, 20, 4, 5, 10, 9));
            lines.Add(CsvTable.Join([image, region.ToString(), "0", "0", "30", "20", "24", score.ToString(System.Globalization.CultureInfo.InvariantCulture), "default", label, crop, mask]));
        }

        var path = Path.Combine(folder, "regions.csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
