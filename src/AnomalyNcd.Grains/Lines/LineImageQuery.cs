using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// The filtered, paged image list of a line: one pass over the records (newest first), keeping only the page's
/// entries and a count of the matches, so a line of 100 000 images answers with one page, never its history.
/// </summary>
public static class LineImageQuery
{
    /// <summary>
    /// The page of <paramref name="newestFirst"/> that matches <paramref name="filter"/>; an invalid filter or page
    /// is rejected (Invalid) with the problem <see cref="ImageFilter.Problem"/> names.
    /// </summary>
    public static ImageQueryPage Run(IEnumerable<RecordedImage> newestFirst, ImageFilter filter, int skip, int take)
    {
        if (filter.Problem(skip, take) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        var items = new List<ImageListEntry>(Math.Min(take, 64));
        var total = 0;
        foreach (var image in newestFirst)
        {
            if (!Matches(image, filter))
            {
                continue;
            }

            if (total >= skip && items.Count < take)
            {
                items.Add(Entry(image));
            }

            total++;
        }

        return new ImageQueryPage([.. items], total, skip);
    }

    public static bool Matches(RecordedImage image, ImageFilter filter)
    {
        if (image.At < filter.From || image.At >= filter.To)
        {
            return false;
        }

        var matchesStatus = filter.Status switch
        {
            ImageFilterStatus.NoAnomaly => image.Regions.Count == 0,
            ImageFilterStatus.Anomalous => image.Regions.Count > 0,
            ImageFilterStatus.Unclassified => image.Regions.Exists(r => r.ClassId is null),
            ImageFilterStatus.Classified => image.Regions.Count > 0 && image.Regions.TrueForAll(r => r.ClassId is not null),
            _ => true,
        };
        if (!matchesStatus)
        {
            return false;
        }

        if (filter.ClassId is not null && !image.Regions.Exists(r => r.ClassId == filter.ClassId))
        {
            return false;
        }

        if (!filter.HasConfidenceRange)
        {
            return true;
        }

        var confidence = Confidence(image, filter.ClassId);
        return confidence is { } c && !(c < filter.MinConfidence) && !(c > filter.MaxConfidence);
    }

    /// <summary>The image's label: its most confident classified region's class and confidence (none without one).</summary>
    public static ImageListEntry Entry(RecordedImage image)
    {
        RecordedRegion? best = null;
        foreach (var region in image.Regions)
        {
            if (region.ClassId is not null && (best is null || region.Confidence > best.Confidence))
            {
                best = region;
            }
        }

        return new ImageListEntry(image.ImageId, image.At, best?.ClassId, best?.Confidence, image.Regions.Count);
    }

    private static double? Confidence(RecordedImage image, string? classId)
    {
        double? best = null;
        foreach (var region in image.Regions)
        {
            if (region.ClassId is not null && (classId is null || region.ClassId == classId) && (best is null || region.Confidence > best))
            {
                best = region.Confidence;
            }
        }

        return best;
    }
}
