using System.Text.Json;

namespace AnomalyNcd.Cli.Tests.Commands;

public class EvalCommandTests
{
    private const string ManifestText =
        "image,anomaly_map,mask,label,line,split\n" +
        "a/1.png,,,4,,test\n" +
        "a/2.png,,,4,,test\n" +
        "b/3.png,,,5,,test\n" +
        "b/4.png,,,5,,test\n" +
        "c/5.png,,,6,,test\n" +
        "u/6.png,,,,,test\n";

    [Fact]
    public async Task Eval_ImageLevel_WritesSpecVector7MetricsAndSkipsUnlabelled()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "run/images.csv",
            "image,class,confidence,extra\n" +
            "a/1.png,7,0.9,x\n" +
            "a/2.png,7,0.8,x\n" +
            "b/3.png,4,0.7,x\n" +
            "\"b/4.png\",4,0.6,x\n" +
            "c/5.png,4,0.5,x\n" +
            "u/6.png,7,0.4,x\n");

        var (code, stdout, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("1 unlabelled prediction(s) skipped", stdout);
        Assert.Contains("F1        0.8000", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.Combine("run", "metrics.json")));
        var root = json.RootElement;
        Assert.Equal("image", root.GetProperty("level").GetString());
        Assert.Equal(5, root.GetProperty("n").GetInt32());
        Assert.Equal(1, root.GetProperty("skippedUnlabelled").GetInt32());
        Assert.Equal(0.778979, root.GetProperty("nmi").GetDouble(), 6);
        Assert.Equal(0.545455, root.GetProperty("ari").GetDouble(), 6);
        Assert.Equal(0.8, root.GetProperty("f1").GetDouble(), 12);
        Assert.Equal(1.8 / 3.0, root.GetProperty("macroF1").GetDouble(), 12);
        var perClass = root.GetProperty("perClass").EnumerateArray().ToList();
        Assert.Equal(["4", "5", "6"], perClass.Select(c => c.GetProperty("class").GetString()));
        Assert.Equal(2.0 / 3.0, perClass[1].GetProperty("precision").GetDouble(), 12);
        var mapping = root.GetProperty("mapping").EnumerateArray()
            .ToDictionary(m => m.GetProperty("cluster").GetString()!, m => m.GetProperty("matchedClass").GetString());
        Assert.Equal("5", mapping["4"]);
        Assert.Equal("4", mapping["7"]);
    }

    [Fact]
    public async Task Eval_RegionLevel_RegionsInheritImageLabel()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "regions.csv",
            "image,region,x,y,class\n" +
            "a/1.png,0,1,1,p\n" +
            "a/1.png,1,5,5,p\n" +
            "b/3.png,0,1,1,q\n" +
            "c/5.png,0,1,1,q\n");
        var outFolder = temp.Combine("out");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest, "--level", "region", "--out", outFolder);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "metrics.json")));
        Assert.Equal("region", json.RootElement.GetProperty("level").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("n").GetInt32());
        // Truth 4,4,5,6 vs p,p,q,q: p->4 (2), q->5 or 6 (1) -> 3 of 4.
        Assert.Equal(0.75, json.RootElement.GetProperty("f1").GetDouble(), 12);
    }

    [Fact]
    public async Task Eval_MissingPredictionsFile_FailsWithOneLine()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var missing = temp.Combine("nope.csv");

        var (code, _, stderr) = await Run("eval", "--pred", missing, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, missing, "does not exist");
    }

    [Fact]
    public async Task Eval_MissingManifest_FailsWithOneLine()
    {
        using var temp = TestData.NewTempFolder();
        var predictions = Write(temp, "images.csv", "image,class\na/1.png,7\n");
        var missing = temp.Combine("manifest.csv");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", missing);

        AssertOneErrorLine(code, stderr, missing, "does not exist");
    }

    [Fact]
    public async Task Eval_MissingClassColumn_FailsNamingTheColumn()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,confidence\na/1.png,0.5\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, predictions, "lacks column(s) class");
    }

    [Fact]
    public async Task Eval_RegionLevelWithoutRegionColumn_Fails()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\na/1.png,7\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest, "--level", "region");

        AssertOneErrorLine(code, stderr, predictions, "lacks column(s) region");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("image,class,confidence\n", "no prediction rows")]
    public async Task Eval_EmptyPredictionFile_Fails(string content, string expected)
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", content);

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, predictions, expected);
    }

    [Fact]
    public async Task Eval_NoLabelledRows_Fails()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\nu/6.png,7\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, predictions, "none of the 1 prediction rows has a label");
        Assert.False(File.Exists(temp.Combine("metrics.json")));
    }

    [Fact]
    public async Task Eval_ImageNotInManifest_FailsNamingFileAndImage()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\na/1.png,7\n./a/2.png,7\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, predictions, "line 3: image './a/2.png' is not in the manifest");
    }

    [Fact]
    public async Task Eval_DuplicateImagePrediction_Fails()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\na/1.png,7\nb/3.png,4\na/1.png,4\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest);

        AssertOneErrorLine(code, stderr, predictions, "line 4: duplicate prediction for image 'a/1.png' (first on line 2)");
    }

    [Fact]
    public async Task Eval_UnknownLevel_IsRejected()
    {
        using var temp = TestData.NewTempFolder();
        var manifest = Write(temp, "manifest.csv", ManifestText);
        var predictions = Write(temp, "images.csv", "image,class\na/1.png,7\n");

        var (code, _, stderr) = await Run("eval", "--pred", predictions, "--manifest", manifest, "--level", "pixel");

        Assert.NotEqual(0, code);
        Assert.Contains("pixel", stderr);
    }

    private static void AssertOneErrorLine(int code, string stderr, string path, string problem)
    {
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(path, line);
        Assert.Contains(problem, line);
    }

    private static string Write(TempFolder temp, string relative, string content)
    {
        var path = temp.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
