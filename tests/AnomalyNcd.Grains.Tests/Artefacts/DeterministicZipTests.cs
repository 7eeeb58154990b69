using System.IO.Compression;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Tests.Support;

namespace AnomalyNcd.Grains.Tests.Artefacts;

public sealed class DeterministicZipTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    [Fact]
    public void FromFolder_SameFilesWrittenAtOtherTimesAndInOtherOrder_SameBytes_AndTheyUnpackAsWritten()
    {
        var a = Write("a", ("model.bin", [1, 2, 3]), ("meta/info.json", "{\"k\":1}"u8.ToArray()));
        var b = Write("b", ("meta/info.json", "{\"k\":1}"u8.ToArray()), ("model.bin", [1, 2, 3]));
        File.SetLastWriteTimeUtc(Path.Combine(b, "model.bin"), new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));

        var zipA = DeterministicZip.FromFolder(a);
        var zipB = DeterministicZip.FromFolder(b);

        Assert.Equal(zipA, zipB);
        using var archive = new ZipArchive(new MemoryStream(zipA));
        Assert.Equal(["meta/info.json", "model.bin"], archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e => Assert.Equal(DeterministicZip.EntryTime.Year, e.LastWriteTime.Year));
        using var model = new MemoryStream();
        archive.GetEntry("model.bin")!.Open().CopyTo(model);
        Assert.Equal([1, 2, 3], model.ToArray());
    }

    [Fact]
    public void FromFiles_OnlyTheNamedFiles()
    {
        var a = Write("c", ("keep.bin", [9]), ("optimizer.bin", [8]));

        using var archive = new ZipArchive(new MemoryStream(DeterministicZip.FromFiles(a, ["keep.bin"])));

        Assert.Equal("keep.bin", Assert.Single(archive.Entries).FullName);
    }

    public void Dispose() => folder.Dispose();

    private string Write(string name, params (string Path, byte[] Bytes)[] files)
    {
        var root = folder.Combine(name);
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }

        return root;
    }
}
