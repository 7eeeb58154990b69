using AnomalyNcd.Core.Maps;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Processing;

/// <summary>
/// Pixels the upload API already decoded to validate an upload, handed to the <see cref="ImageProcessor"/> of the same
/// process so it does not decode the stored files again. Keyed by the stored artefacts' SHA-256 (content), so an entry
/// can only stand for exactly those bytes; taken once (the taker owns and disposes the image). Best effort and bounded:
/// an image processed on another silo, or an entry pushed out by newer ones, is simply decoded from the store.
/// </summary>
public sealed class DecodedUploads : IDisposable
{
    /// <summary>Pixel budget over all waiting entries (image plus map), so a burst of large uploads cannot pile up memory.</summary>
    public const long MaxPixels = 8_000_000;

    private readonly object gate = new();

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private readonly LinkedList<string> order = new();

    private long pixels;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public static string Key(string imageSha256, string mapSha256) => imageSha256 + "/" + mapSha256;

    /// <summary>Keeps <paramref name="rgb"/> (8-bit RGB, ownership passes here) and <paramref name="map"/> for the image with these contents.</summary>
    public void Put(string imageSha256, string mapSha256, Mat rgb, FloatMap map)
    {
        var key = Key(imageSha256, mapSha256);
        var size = ((long)rgb.Width * rgb.Height) + ((long)map.Width * map.Height);
        if (size > MaxPixels)
        {
            rgb.Dispose();
            return;
        }

        var evicted = new List<Entry>();
        lock (gate)
        {
            if (entries.ContainsKey(key))
            {
                // The same bytes are already waiting (two ids, one content): one decoded copy is enough.
                evicted.Add(new Entry(rgb, map, 0, null!));
            }
            else
            {
                while (pixels + size > MaxPixels && order.First is { } oldest)
                {
                    evicted.Add(Remove(oldest.Value));
                }

                entries[key] = new Entry(rgb, map, size, order.AddLast(key));
                pixels += size;
            }
        }

        foreach (var entry in evicted)
        {
            entry.Image.Dispose();
        }
    }

    /// <summary>The decoded image and map for these contents, if this process still holds them; the caller disposes the image.</summary>
    public bool TryTake(string imageSha256, string mapSha256, out Mat rgb, out FloatMap map)
    {
        lock (gate)
        {
            if (entries.ContainsKey(Key(imageSha256, mapSha256)))
            {
                var entry = Remove(Key(imageSha256, mapSha256));
                (rgb, map) = (entry.Image, entry.Map);
                return true;
            }
        }

        (rgb, map) = (null!, null!);
        return false;
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in entries.Values)
            {
                entry.Image.Dispose();
            }

            entries.Clear();
            order.Clear();
            pixels = 0;
        }
    }

    private Entry Remove(string key)
    {
        var entry = entries[key];
        entries.Remove(key);
        order.Remove(entry.Node);
        pixels -= entry.Pixels;
        return entry;
    }

    private sealed record Entry(Mat Image, FloatMap Map, long Pixels, LinkedListNode<string> Node);
}
