using AnomalyNcd.Core.Datasets.Importers;

namespace AnomalyNcd.Core.Tests.Datasets.Importers;

public class AnomalyMapPairingTests
{
    [Fact]
    public void Import_WithFlatMapsFolder_AttachesMapsByStemAndReportsMissingOnes()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("data", "a", "1.png"));
        SyntheticImages.Write(temp.Combine("data", "b", "2.png"));
        SyntheticImages.Write(temp.Combine("maps", "2.png"));
        SyntheticImages.Write(temp.Combine("maps", "9.png"));

        var result = new FolderImporter().Import(new ImportContext(temp.Combine("data"), temp.Combine("m.csv"), MapsRoot: temp.Combine("maps")));

        Assert.Equal([null, "maps/2.png"], result.Rows.Select(r => r.AnomalyMap));
        Assert.Equal(["1.png", "9.png"], result.Warnings.Select(w => Path.GetFileName(w.Path)).Order());
    }

    [Fact]
    public void Import_WithMirroredMapsTree_AttachesMapsByRelativeFolder()
    {
        using var temp = TestData.NewTempFolder();
        SyntheticImages.Write(temp.Combine("data", "a", "1.png"));
        SyntheticImages.Write(temp.Combine("data", "b", "1.png"));
        SyntheticImages.Write(temp.Combine("maps", "a", "1.png"));
        SyntheticImages.Write(temp.Combine("maps", "b", "1.png"));

        var result = new FolderImporter().Import(new ImportContext(temp.Combine("data"), temp.Combine("m.csv"), MapsRoot: temp.Combine("maps")));

        Assert.Equal(["maps/a/1.png", "maps/b/1.png"], result.Rows.Select(r => r.AnomalyMap));
        Assert.Empty(result.Warnings);
    }
}
