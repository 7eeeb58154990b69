using AnomalyNcd.Grains.Artefacts;

namespace AnomalyNcd.Grains.Tests.Artefacts;

public sealed class FileArtefactStoreQuotaTests : IDisposable
{
    private readonly TempFolder folder = TestData.NewTempFolder();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task PutStream_PastTheQuota_IsRefusedAndLeavesNoFile()
    {
        var store = new FileArtefactStore(folder.Path, quotaBytes: 1000);
        var kept = await store.PutAsync(new MemoryStream(new byte[600]), "image", "png");

        var refused = await Assert.ThrowsAsync<ArtefactStoreFullException>(() => store.PutAsync(new MemoryStream(Enumerable.Repeat((byte)7, 600).ToArray()), "image", "png"));

        Assert.Contains("quota", refused.Message, StringComparison.Ordinal);
        Assert.Equal([store.PathOf(kept)], Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(new byte[600], await store.ReadAllBytesAsync(kept));
        Assert.Equal(600, store.CountStoredBytes());
    }

    [Fact]
    public async Task PutDurableBytes_PastTheQuota_IsRefused_DerivedBytesStillStored()
    {
        var store = new FileArtefactStore(folder.Path, quotaBytes: 100);
        await store.PutAsync(new byte[90], "image", "png");

        await Assert.ThrowsAsync<ArtefactStoreFullException>(() => store.PutAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, "image", "png"));
        var crop = await store.PutDerivedAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, "crop", "png");

        Assert.True(store.Exists(crop));
    }

    [Fact]
    public async Task PutStream_SameBytesAgainWhenFull_IsRefusedWithoutTouchingTheStoredCopy()
    {
        var store = new FileArtefactStore(folder.Path, quotaBytes: 100);
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var kept = await store.PutAsync(new MemoryStream(bytes), "image", "png");

        await Assert.ThrowsAsync<ArtefactStoreFullException>(() => store.PutAsync(new MemoryStream(bytes), "image", "png"));

        Assert.Equal(bytes, await store.ReadAllBytesAsync(kept));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, ".incoming")));
    }

    [Theory]
    [InlineData(28, true)]          // ENOSPC as .NET reports it on Linux
    [InlineData(122, true)]         // EDQUOT
    [InlineData(unchecked((int)0x80070070), true)] // ERROR_DISK_FULL as an HRESULT
    [InlineData(5, false)]          // EIO: a fault, not a full disk
    public void IsDiskFull_RecognisesNoSpaceErrors(int hresult, bool full)
    {
        Assert.Equal(full, ArtefactStoreFullException.IsDiskFull(new IOException("write failed", hresult)));
    }

    [Fact]
    public void Constructor_NonPositiveQuota_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileArtefactStore(folder.Path, quotaBytes: 0));
    }
}
