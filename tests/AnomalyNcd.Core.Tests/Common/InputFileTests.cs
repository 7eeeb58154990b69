using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Tests.Common;

public sealed class InputFileTests
{
    [Fact]
    public void Missing_IsRefusedNamingTheFileAndItsKind()
    {
        using var temp = TestData.NewTempFolder();
        var path = Path.Combine(temp.Path, "split.txt");

        var error = Assert.Throws<InvalidInputException>(() => InputFile.ReadAllLines(path, "split file"));

        Assert.Contains(path, error.Message);
        Assert.Contains("split file does not exist", error.Message);
    }

    [Fact]
    public void Present_IsReadWhole()
    {
        using var temp = TestData.NewTempFolder();
        var path = Path.Combine(temp.Path, "a.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        File.WriteAllLines(path + ".txt", ["x", "y"]);

        Assert.Equal(new byte[] { 1, 2, 3 }, InputFile.ReadAllBytes(path));
        Assert.Equal(["x", "y"], InputFile.ReadAllLines(path + ".txt"));
    }

    [Fact]
    public void AFolderInsteadOfAFile_IsRefusedAsMissing()
    {
        using var temp = TestData.NewTempFolder();

        var error = Assert.Throws<InvalidInputException>(() => InputFile.ReadAllBytes(temp.Path));

        Assert.Contains("file does not exist", error.Message);
    }
}
