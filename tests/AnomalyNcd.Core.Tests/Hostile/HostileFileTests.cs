using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Hostile;

/// <summary>
/// Issue 7, hostile-input corpus, the Core readers: every hostile image and map file is refused with an
/// <see cref="InvalidInputException"/> that names the file and the problem (or read as documented when valid).
/// </summary>
public sealed class HostileFileTests
{
    public static TheoryData<string> ImageCases => HostileCorpus.Names(HostileEntry.Image);

    public static TheoryData<string> MapCases => HostileCorpus.Names(HostileEntry.Map);

    [Theory]
    [MemberData(nameof(ImageCases))]
    public void ReadImage_HostileFile_RefusedNamingFileAndProblem(string name)
    {
        var hostile = HostileCorpus.Get(name);
        using var temp = TestData.NewTempFolder();
        var path = HostileCorpus.WriteCase(hostile, temp.Path);

        if (!ImageFiles.IsImageFile(path))
        {
            Assert.Equal("image-wrong-extension", name);
            return;
        }

        if (hostile.Problem is null)
        {
            var (width, height) = ImageFiles.ReadSize(path);
            Assert.True(width > 0 && height > 0);
            return;
        }

        var refused = Assert.Throws<InvalidInputException>(() => ImageFiles.ReadSize(path));
        Assert.StartsWith(path + ": ", refused.Message);
        Assert.Contains(hostile.Problem, refused.Problem);
    }

    [Theory]
    [MemberData(nameof(MapCases))]
    public void ReadMap_HostileFile_RefusedNamingFileAndProblem(string name)
    {
        var hostile = HostileCorpus.Get(name);
        using var temp = TestData.NewTempFolder();
        var path = HostileCorpus.WriteCase(hostile, temp.Path);

        if (hostile.Problem is null)
        {
            var map = AnomalyMapFile.Read(path);
            Assert.All(map.Values, v => Assert.True(float.IsFinite(v)));
            return;
        }

        var refused = Assert.Throws<InvalidInputException>(() => AnomalyMapFile.Read(path));
        Assert.StartsWith(path + ": ", refused.Message);
        Assert.Contains(hostile.Problem, refused.Problem);
    }

    [Fact]
    public void LoadManifest_Utf8Bom_IsAcceptedWithTheSameRows()
    {
        // Decision: a UTF-8 BOM (Excel writes one) is accepted when the header is otherwise right.
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("manifest.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "image,anomaly_map,mask,label,line,split\na.png,,,good,l1,test\n"u8]);

        var manifest = Manifest.Load(path);

        var row = Assert.Single(manifest.Rows);
        Assert.Equal("a.png", row.Image);
        Assert.Equal("l1", row.Line);
    }
}
