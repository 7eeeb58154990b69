using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// The line's image ledger: one record per image (its regions' classes and confidences, in
/// <see cref="LineImageRecords"/>), and what follows from them: the line's totals, each class's region and image
/// counts, and its representatives (the most confident regions). A re-recorded image replaces its contribution.
/// </summary>
public sealed class ImageLedger(ProductLineState line, LineImageRecords records, ClassCatalogue catalogue, string lineId)
{
    public const int MaxRepresentatives = 8;

    public int Count => records.Count;

    /// <summary>Ids of the images recorded with at least one region, in the order they were first recorded.</summary>
    public string[] ImagesWithRegions() => [.. records.All.Where(r => r.Regions.Count > 0).Select(r => r.ImageId)];

    public string[] PageNewestFirst(int skip, int take) => records.PageNewestFirst(skip, take);

    /// <summary>The images that match <paramref name="filter"/>, newest first, a page of them (see <see cref="LineImageQuery"/>).</summary>
    public ImageQueryPage Query(ImageFilter filter, int skip, int take) => LineImageQuery.Run(records.NewestFirst(), filter, skip, take);

    /// <summary>Puts one image's record in memory; true when the line's own state needs a write.</summary>
    public bool Record(ImageResult result, DateTimeOffset now)
    {
        var known = records.TryGet(result.ImageId, out var previous);
        if (known)
        {
            Contribute(previous, -1, now);
        }

        var recorded = new RecordedImage
        {
            ImageId = result.ImageId,
            At = result.ProcessedAt ?? result.ReceivedAt,
            Regions = [.. result.Regions.Select(r => new RecordedRegion(r.Key.Index, r.ClassId is null ? null : catalogue.Resolve(r.ClassId), r.Confidence))],
        };
        records.Put(recorded);
        Contribute(recorded, +1, now);
        if (line.LastImageAt is null || recorded.At > line.LastImageAt)
        {
            line.LastImageAt = recorded.At;
        }

        // Totals and the last-image time are recomputed from the records at activation, so the line's own state
        // needs a write only when the catalogue changed, and now and then to keep its chunk-count hint close.
        var catalogueTouched = (known && previous.Regions.Any(r => r.ClassId is not null)) || recorded.Regions.Any(r => r.ClassId is not null);
        var chunkStarted = !known && records.Count % LineImageRecords.ChunkSize == 1;
        return catalogueTouched || chunkStarted;
    }

    /// <summary>
    /// Recomputes the totals from the records, which keeps them right even when a crash came between a chunk write
    /// and the line's own write (or the line skipped its write, see <see cref="Record"/>). True when a class was added.
    /// </summary>
    public bool Recount()
    {
        line.RegionCount = 0;
        line.AnomalousImageCount = 0;
        DateTimeOffset? last = null;
        foreach (var entry in line.Classes.Values)
        {
            entry.RegionCount = 0;
            entry.ImageCount = 0;
            entry.Representatives.Clear();
        }

        var added = false;
        foreach (var record in records.All)
        {
            added |= Contribute(record, +1, now: null);
            last = last is null || record.At > last ? record.At : last;
        }

        line.LastImageAt = last ?? line.LastImageAt;
        return added;
    }

    /// <summary>Whether the ledger counts <paramref name="key"/> (of this line) under <paramref name="classId"/>.</summary>
    public bool IsRegionOf(RegionKey key, string classId) =>
        records.TryGet(key.ImageId, out var image) && image.Regions.Any(r => r.Index == key.Index && r.ClassId == classId);

    public List<RegionKey> RegionsOf(string classId) =>
        [.. records.All.SelectMany(image => image.Regions.Where(r => r.ClassId == classId).Select(r => new RegionKey(lineId, image.ImageId, r.Index)))];

    /// <summary>Moves the recorded regions that match to <paramref name="classId"/>, recounting each touched image.</summary>
    public void Reassign(Func<string, RecordedRegion, bool> matches, string classId, DateTimeOffset now)
    {
        foreach (var image in records.All)
        {
            var imageId = image.ImageId;
            if (!image.Regions.Any(r => matches(imageId, r)))
            {
                continue;
            }

            Contribute(image, -1, now);
            image.Regions = [.. image.Regions.Select(r => matches(imageId, r) ? r with { ClassId = classId } : r)];
            Contribute(image, +1, now);
            records.Touch(imageId);
        }
    }

    /// <summary>Adds (+1) or removes (−1) one image's contribution to the totals and the catalogue; true when a class was added.</summary>
    /// <param name="now">When the catalogue entries changed; null while recounting (their times stay).</param>
    private bool Contribute(RecordedImage image, int sign, DateTimeOffset? now)
    {
        var added = false;
        line.RegionCount += sign * image.Regions.Count;
        line.AnomalousImageCount += image.Regions.Count > 0 ? sign : 0;
        foreach (var group in image.Regions.Where(r => r.ClassId is not null).GroupBy(r => r.ClassId!, StringComparer.Ordinal))
        {
            if (!catalogue.TryGet(group.Key, out var entry))
            {
                if (sign < 0)
                {
                    continue;
                }

                // A class first seen in a prediction (its model was not registered) still gets counted.
                entry = catalogue.Add(group.Key, ClassStatus.Proposed, now ?? image.At);
                added = true;
            }

            entry.RegionCount += sign * group.Count();
            entry.ImageCount += sign;
            entry.UpdatedAt = now ?? entry.UpdatedAt;
            foreach (var region in group)
            {
                var key = new RegionKey(lineId, image.ImageId, region.Index);
                entry.Representatives.RemoveAll(r => r.Region == key);
                if (sign > 0)
                {
                    AddRepresentative(entry, new Representative(key, region.Confidence));
                }
            }
        }

        return added;
    }

    private static void AddRepresentative(CatalogueEntry entry, Representative candidate)
    {
        var at = entry.Representatives.FindIndex(r => r.Confidence < candidate.Confidence);
        entry.Representatives.Insert(at < 0 ? entry.Representatives.Count : at, candidate);
        if (entry.Representatives.Count > MaxRepresentatives)
        {
            entry.Representatives.RemoveRange(MaxRepresentatives, entry.Representatives.Count - MaxRepresentatives);
        }
    }
}
