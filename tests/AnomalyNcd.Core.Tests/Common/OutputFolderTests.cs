using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Tests.Common;

public class OutputFolderTests
{
    [Fact]
    public void Commit_ReplacesSameNamedEntries_KeepsOthers_LeavesNoHiddenFolders()
    {
        using var temp = TestData.NewTempFolder();
        var target = temp.Combine("out");
        Directory.CreateDirectory(Path.Combine(target, "masks"));
        File.WriteAllText(Path.Combine(target, "masks", "old.png"), "old mask");
        File.WriteAllText(Path.Combine(target, "report.json"), "old report");
        File.WriteAllText(Path.Combine(target, "notes.txt"), "user notes");

        using (var output = new OutputFolder(target))
        {
            Directory.CreateDirectory(output.StagingPath("masks"));
            File.WriteAllText(output.StagingPath("masks", "new.png"), "new mask");
            File.WriteAllText(output.StagingPath("report.json"), "new report");
            output.Commit();
        }

        Assert.Equal(["new.png"], Directory.GetFiles(Path.Combine(target, "masks")).Select(Path.GetFileName));
        Assert.Equal("new report", File.ReadAllText(Path.Combine(target, "report.json")));
        Assert.Equal("user notes", File.ReadAllText(Path.Combine(target, "notes.txt")));
        Assert.Equal(["masks", "notes.txt", "report.json"], Entries(target));
    }

    [Fact]
    public void Commit_IntoMissingFolder_CreatesIt()
    {
        using var temp = TestData.NewTempFolder();
        var target = temp.Combine("a", "b");

        using (var output = new OutputFolder(target))
        {
            File.WriteAllText(output.StagingPath("x.txt"), "x");
            output.Commit();
        }

        Assert.Equal(["x.txt"], Entries(target));
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesTargetUntouchedAndRemovesStaging()
    {
        using var temp = TestData.NewTempFolder();
        var target = temp.Combine("out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "report.json"), "earlier run");

        string staging;
        using (var output = new OutputFolder(target))
        {
            staging = output.Staging;
            Assert.True(Directory.Exists(staging));
            File.WriteAllText(output.StagingPath("report.json"), "half-written");
        }

        Assert.False(Directory.Exists(staging));
        Assert.Equal(["report.json"], Entries(target));
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(target, "report.json")));
    }

    [Fact]
    public void Constructor_TargetIsAFile_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var file = temp.Combine("taken");
        File.WriteAllText(file, "a file");

        var error = Assert.Throws<InvalidInputException>(() => new OutputFolder(file));

        Assert.Contains("is a file", error.Problem);
        Assert.Equal("a file", File.ReadAllText(file));
    }

    /// <summary>Names of every entry, hidden ones included, sorted.</summary>
    private static string[] Entries(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
