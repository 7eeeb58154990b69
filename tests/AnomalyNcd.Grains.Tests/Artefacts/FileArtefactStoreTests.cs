using System.Security.Cryptography;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Grains.Artefacts;

namespace AnomalyNcd.Grains.Tests.Artefacts;

public sealed class FileArtefactStoreTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Put_Bytes_RoundTripsUnderTheirHash()
    {
        var store = new FileArtefactStore(folder.Path);
        var bytes = "anomaly"u8.ToArray();

        var artefact = await store.PutAsync(bytes, "image", "png");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), artefact.Sha256);
        Assert.Equal(bytes.Length, artefact.Bytes);
        Assert.True(store.Exists(artefact));
        Assert.StartsWith(Path.GetFullPath(folder.Path), store.PathOf(artefact), StringComparison.Ordinal);
        Assert.Equal(bytes, await store.ReadAllBytesAsync(artefact));
    }

    [Fact]
    public async Task Put_SameBytesTwice_StoresOneFile()
    {
        var store = new FileArtefactStore(folder.Path);
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        var first = await store.PutAsync(bytes, "crop", "png");
        using var stream = new MemoryStream(bytes);
        var second = await store.PutAsync(stream, "crop", "png");

        Assert.Equal(first, second);
        var files = Directory.GetFiles(folder.Path, "*.png", SearchOption.AllDirectories);
        Assert.Single(files);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, ".incoming")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../png")]
    [InlineData("p.ng")]
    [InlineData("waytoolong")]
    public async Task Put_BadExtension_IsRefused(string extension)
    {
        var store = new FileArtefactStore(folder.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(new byte[] { 1, 2, 3 }, "image", extension));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public void PathOf_MalformedHash_IsRefused(string hash)
    {
        var store = new FileArtefactStore(folder.Path);

        Assert.Throws<ArgumentException>(() => store.PathOf(new ArtefactRef(hash, "image", "png", 3)));
    }
}
