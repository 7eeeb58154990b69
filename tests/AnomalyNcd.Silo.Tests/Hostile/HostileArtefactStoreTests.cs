using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Core.Tests.Hostile;
using AnomalyNcd.Grains.Artefacts;

namespace AnomalyNcd.Silo.Tests.Hostile;

/// <summary>
/// Issue 7, hostile-input corpus, artefact store: whatever names and links arrive, nothing is written outside
/// the store's folder and nothing stored changes.
/// </summary>
public sealed class HostileArtefactStoreTests
{
    private static readonly byte[] Content = "hostile artefact"u8.ToArray();

    public static TheoryData<string> Cases => HostileCorpus.Names(HostileEntry.ArtefactStore);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Store_HostileNameOrLink_WritesNothingOutsideItsFolder(string name)
    {
        var hostile = HostileCorpus.Get(name);
        using var temp = TestData.NewTempFolder();
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var store = new FileArtefactStore(temp.Combine("store"));
        var kept = await store.PutAsync("kept"u8.ToArray(), "image", "png");
        var expectedPath = store.PathOf(new ArtefactRef(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content)), "image", "png", Content.Length));
        var before = DataFolderSnapshot.Take(store.Root);

        Exception? refused = null;
        try
        {
            switch (name)
            {
                case "store-extension-traversal":
                    await store.PutAsync(Content, "image", "../png");
                    break;
                case "store-extension-with-slash":
                    await store.PutAsync(new MemoryStream(Content), "image", "png/../../x");
                    break;
                case "store-hash-traversal":
                    store.PathOf(new ArtefactRef("../../../etc/passwd", "image", "png", 1));
                    break;
                case "store-symlink-incoming-out":
                    Directory.CreateSymbolicLink(Path.Combine(store.Root, ".incoming"), outside);
                    await store.PutAsync(new MemoryStream(Content), "image", "png");
                    break;
                case "store-dangling-symlink-target":
                    Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
                    File.CreateSymbolicLink(expectedPath, Path.Combine(outside, "target.png"));
                    await store.PutAsync(Content, "image", "png");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(name), name, "no action for this case");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or IOException)
        {
            refused = ex;
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal(Content.Length > 0, store.Exists(kept));
        DataFolderSnapshot.AssertKept(before, DataFolderSnapshot.Take(store.Root));
        Assert.DoesNotContain(Directory.EnumerateFiles(store.Root, "*.part", SearchOption.AllDirectories), _ => true);
        if (hostile.Problem is not null)
        {
            Assert.NotNull(refused);
            Assert.Contains(hostile.Problem, refused.Message);
        }
    }
}
