using System.Security.Cryptography;
using AnomalyNcd.Contracts.Artefacts;

namespace AnomalyNcd.Grains.Artefacts;

/// <summary>
/// Artefacts as files under one root folder: <c>root/ab/cdef…​.ext</c> by SHA-256. The path is built only
/// from the hash and a checked extension, so no name that arrives from outside can point outside the root.
/// A shared volume makes the same store visible to every silo of a cluster.
/// With a quota, uploads (<see cref="PutAsync(Stream, string, string, CancellationToken)"/> and durable byte puts) are
/// refused with <see cref="ArtefactStoreFullException"/> once the stored bytes would exceed it; derived crops of an
/// image already accepted are still written (refusing them would leave the image half processed), so the store can end
/// a few crops past the quota. Silos sharing the folder each count their own writes between recounts, so together
/// they can admit up to one quota each in that time. A full disk (ENOSPC) is reported the same way, for every kind of write.
/// </summary>
public sealed class FileArtefactStore : IArtefactStore
{
    /// <summary>Other silos sharing the folder write too: the usage is recounted from disk at most this often.</summary>
    private static readonly TimeSpan RecountInterval = TimeSpan.FromSeconds(5);

    private readonly string root;
    private readonly long? quotaBytes;
    private readonly Lock usageGate = new();
    private long usedBytes;
    private DateTime countedAt = DateTime.MinValue;

    /// <param name="root">The store's folder (created when missing).</param>
    /// <param name="quotaBytes">Most bytes the store may hold before uploads are refused; null = no quota.</param>
    public FileArtefactStore(string root, long? quotaBytes = null)
    {
        if (quotaBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quotaBytes), quotaBytes, "an artefact quota must be positive");
        }

        this.root = Path.GetFullPath(root);
        this.quotaBytes = quotaBytes;
        Directory.CreateDirectory(this.root);
    }

    public string Root => root;

    /// <summary>The configured quota in bytes, or null.</summary>
    public long? QuotaBytes => quotaBytes;

    /// <summary>Bytes of stored artefacts (temporary files excluded), as counted from disk now.</summary>
    public long CountStoredBytes() =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(Path.Combine(root, ".incoming") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Sum(path => new FileInfo(path).Length);

    /// <summary>Stores uploaded (acknowledged) data: flushed to disk before the reference is returned.</summary>
    public Task<ArtefactRef> PutAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default) =>
        AsTask(() => PutBytes(bytes, kind, extension, durable: true, cancellationToken));

    public Task<ArtefactRef> PutDerivedAsync(ReadOnlyMemory<byte> bytes, string kind, string extension, CancellationToken cancellationToken = default) =>
        AsTask(() => PutBytes(bytes, kind, extension, durable: false, cancellationToken));

    /// <summary>Runs a synchronous put and reports its outcome as a task (a failure as a faulted task, like an async method).</summary>
    private static Task<ArtefactRef> AsTask(Func<ArtefactRef> put)
    {
        try
        {
            return Task.FromResult(put());
        }
        catch (OperationCanceledException cancelled) when (cancelled.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ArtefactRef>(cancelled.CancellationToken);
        }
        catch (Exception failure)
        {
            return Task.FromException<ArtefactRef>(failure);
        }
    }

    private ArtefactRef PutBytes(ReadOnlyMemory<byte> bytes, string kind, string extension, bool durable, CancellationToken cancellationToken)
    {
        CheckExtension(extension);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var artefact = new ArtefactRef(hash, kind, extension, bytes.Length);
        var path = PathOf(artefact);
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length == bytes.Length)
        {
            return artefact;
        }

        if (durable)
        {
            EnsureRoomFor(bytes.Length, written: 0);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = TemporaryPath();
        try
        {
            // One write of bytes already in memory: no FileStream (its 80 KB buffer per file was most of the store's garbage).
            cancellationToken.ThrowIfCancellationRequested();
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, bytes.Span, 0);
                if (durable)
                {
                    RandomAccess.FlushToDisk(handle);
                }
            }

            MoveIntoPlace(temporary, path, replaceShort: existing.Exists);
            AddUsage(bytes.Length);
        }
        catch (IOException full) when (full is not ArtefactStoreFullException && ArtefactStoreFullException.IsDiskFull(full))
        {
            throw DiskFull(full);
        }
        finally
        {
            File.Delete(temporary);
        }

        return artefact;
    }

    public async Task<ArtefactRef> PutAsync(Stream content, string kind, string extension, CancellationToken cancellationToken = default)
    {
        CheckExtension(extension);
        EnsureRoomFor(0, written: 0);
        var temporary = TemporaryPath();
        try
        {
            string hash;
            long length;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    EnsureRoomFor(read, written: stream.Length);
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
                length = stream.Length;
            }

            var artefact = new ArtefactRef(hash, kind, extension, length);
            var path = PathOf(artefact);
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                MoveIntoPlace(temporary, path);
                AddUsage(length);
            }

            return artefact;
        }
        catch (IOException full) when (full is not ArtefactStoreFullException && ArtefactStoreFullException.IsDiskFull(full))
        {
            throw DiskFull(full);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<byte[]> ReadAllBytesAsync(ArtefactRef artefact, CancellationToken cancellationToken = default) =>
        File.ReadAllBytesAsync(PathOf(artefact), cancellationToken);

    public bool Exists(ArtefactRef artefact) => File.Exists(PathOf(artefact));

    public string PathOf(ArtefactRef artefact)
    {
        if (artefact.Sha256.Length != 64 || !artefact.Sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{artefact.Sha256}' is not a lowercase SHA-256 hex digest", nameof(artefact));
        }

        CheckExtension(artefact.Extension);
        return Path.Combine(root, artefact.Sha256[..2], artefact.Sha256[2..] + "." + artefact.Extension);
    }

    /// <summary>Refuses a write of <paramref name="more"/> bytes (after <paramref name="written"/> already in its temporary file) that would pass the quota.</summary>
    private void EnsureRoomFor(long more, long written)
    {
        if (quotaBytes is not { } quota)
        {
            return;
        }

        var used = UsedBytes();
        if (used + written + more > quota || used >= quota)
        {
            throw new ArtefactStoreFullException(
                $"artefact store {root} is full: {used} of its {quota} byte quota used, {written + more} more bytes refused");
        }
    }

    private long UsedBytes()
    {
        lock (usageGate)
        {
            if (DateTime.UtcNow - countedAt > RecountInterval)
            {
                usedBytes = CountStoredBytes();
                countedAt = DateTime.UtcNow;
            }

            return usedBytes;
        }
    }

    private void AddUsage(long bytes)
    {
        if (quotaBytes is null)
        {
            return;
        }

        lock (usageGate)
        {
            usedBytes += bytes;
        }
    }

    private ArtefactStoreFullException DiskFull(IOException full) =>
        new($"artefact store {root}: the disk is full ({full.Message})", full);

    private static void CheckExtension(string extension)
    {
        if (extension.Length is 0 or > 8 || !extension.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{extension}' is not a plain file extension (1–8 letters or digits, no dot)", nameof(extension));
        }
    }

    private string TemporaryPath()
    {
        var folder = Path.Combine(root, ".incoming");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, Guid.NewGuid().ToString("N") + ".part");
    }

    private static void MoveIntoPlace(string temporary, string path, bool replaceShort = false)
    {
        try
        {
            // Same name, same hash: replacing a short file (left by a power loss) with the full bytes is safe.
            File.Move(temporary, path, overwrite: replaceShort);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another writer stored the same content first: same hash, same bytes.
        }
    }
}
