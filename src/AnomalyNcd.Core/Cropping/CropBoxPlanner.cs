using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// Plans the anomaly-centred crop boxes of one image from its binary mask, with the reference's exact
/// arithmetic (method-spec §6.1–6.4): Python int() truncations, the single non-transitive merge pass,
/// unclamped half-pixel merged boxes and the est + 1 cut. Improvements are opt-in via <see cref="CropOptions"/>.
/// </summary>
public static class CropBoxPlanner
{
    /// <summary>Runs §6.1–6.4 on a mask already at image size (see <see cref="CropMasks.PrepareForCropping"/>).</summary>
    public static CropPlan Plan(GrayImage mask, int estimatedRegions, CropOptions? options = null)
    {
        options ??= CropOptions.Parity;
        options.Validate();
        if (estimatedRegions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedRegions), estimatedRegions, "estimated region count must be non-negative");
        }

        var width = mask.Width;
        var height = mask.Height;
        var regions = FindRegions(mask);
        List<CropBox> before = regions.Count == 0
            ? [new CropBox(0, 0, width, height)]
            : regions.Select(r => SquareBoxForRegion(r, width, height, options)).ToList();
        if (options.CropEveryRegion)
        {
            return new CropPlan(width, height, estimatedRegions, regions, before, before, before);
        }

        var merged = MergeBoxes(before, width, height, options);
        var kept = merged.Count > estimatedRegions ? merged.Take(estimatedRegions + 1).ToList() : merged;
        return new CropPlan(width, height, estimatedRegions, regions, before, merged, kept);
    }

    /// <summary>
    /// Bounding rectangles of the external contours (holes' contents get no rectangle of their own),
    /// sorted ascending by (area h·w, x, y, w, h) as the reference's tuple sort does.
    /// </summary>
    public static IReadOnlyList<Rect> FindRegions(GrayImage mask)
    {
        using var mat = mask.ToMat();

        // An explicit InputArray, disposed here (an implicit one from the Mat is left to the finalizer thread).
        using var input = InputArray.Create(mat);
        Cv2.FindContours(input, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        return contours
            .Select(Cv2.BoundingRect)
            .OrderBy(r => (long)r.Width * r.Height)
            .ThenBy(r => r.X)
            .ThenBy(r => r.Y)
            .ThenBy(r => r.Width)
            .ThenBy(r => r.Height)
            .ToList();
    }

    /// <summary>
    /// The square box of one region (§6.2): half-side r = max(int(1.1·long side/2), int(0.1·max(H, W))),
    /// at most int(0.5·max(H, W)), centred on the truncated region centre and shifted (not shrunk) inside.
    /// </summary>
    public static CropBox SquareBoxForRegion(Rect region, int imageWidth, int imageHeight, CropOptions? options = null)
    {
        options ??= CropOptions.Parity;
        var longImageSide = Math.Max(imageWidth, imageHeight);

        // Python int() of a non-negative double: truncation, i.e. floor here.
        var centerY = (int)((region.Y + region.Y + region.Height) * 0.5);
        var centerX = (int)((region.X + region.X + region.Width) * 0.5);
        var halfSide = Math.Max(
            (int)(Math.Max(region.Height, region.Width) * (1.0 + options.Padding) * 0.5),
            (int)(longImageSide * options.MinCropSize));
        halfSide = Math.Min(halfSide, (int)(longImageSide * 0.5));

        int left = centerX - halfSide, right = centerX + halfSide;
        int up = centerY - halfSide, bottom = centerY + halfSide;
        if (left < 0)
        {
            (left, right) = (0, 2 * halfSide);
        }
        else if (right > imageWidth)
        {
            (left, right) = (imageWidth - (2 * halfSide), imageWidth);
        }

        if (up < 0)
        {
            (up, bottom) = (0, 2 * halfSide);
        }
        else if (bottom > imageHeight)
        {
            (up, bottom) = (imageHeight - (2 * halfSide), imageHeight);
        }

        return new CropBox(left, up, right, bottom);
    }

    /// <summary>
    /// The edge-to-edge distance used for merging (§6.3): −1 when the boxes overlap on both axes, the
    /// gap along one axis when they overlap on the other, the Euclidean corner gap otherwise.
    /// </summary>
    public static double Gap(CropBox first, CropBox second)
    {
        var dx = Math.Abs(first.CenterX - second.CenterX);
        var dy = Math.Abs(first.CenterY - second.CenterY);
        var halfWidths = (first.Width + second.Width) / 2.0;
        var halfHeights = (first.Height + second.Height) / 2.0;
        var apartX = dx >= halfWidths;
        var apartY = dy >= halfHeights;
        return (apartX, apartY) switch
        {
            (false, true) => dy - halfHeights,
            (true, false) => dx - halfWidths,
            (true, true) => Math.Sqrt(((dx - halfWidths) * (dx - halfWidths)) + ((dy - halfHeights) * (dy - halfHeights))),
            _ => -1.0,
        };
    }

    /// <summary>
    /// Merges near boxes (§6.3) and sorts the result by area, descending (stable). Parity: one pass over
    /// each box's neighbour list, so chains are not closed; optional transitive merging and clamping.
    /// </summary>
    public static IReadOnlyList<CropBox> MergeBoxes(IReadOnlyList<CropBox> boxes, int imageWidth, int imageHeight, CropOptions? options = null)
    {
        options ??= CropOptions.Parity;
        var threshold = (int)(Math.Max(imageWidth, imageHeight) * options.MaxMergeDistance);
        var groups = options.TransitiveMerging
            ? ConnectedGroups(boxes, threshold)
            : NeighbourGroups(boxes, threshold);

        // Mirror the reference's list surgery: remove each group's boxes by value, then append the merge.
        var working = boxes.ToList();
        foreach (var group in groups)
        {
            foreach (var index in group)
            {
                working.Remove(boxes[index]);
            }

            working.Add(options.TransitiveMerging ? UnionThenSquare(boxes, group) : SquareAfterEveryUnion(boxes, group));
        }

        if (options.ClampMergedBoxes)
        {
            working = working.Select(b => ClampIntoImage(b, imageWidth, imageHeight)).ToList();
        }

        return working.OrderByDescending(b => b.Area).ToList();
    }

    /// <summary>
    /// The reference's merge of one group: boxes in sorted (left, up, right, bottom) order (not list order;
    /// list order fails one golden map), and the running
    /// box squared after every pairwise union (verified on the golden set, e.g. c2/b_004: squaring once at
    /// the end gives a box half a pixel off). A single box is returned unchanged, even when not square.
    /// </summary>
    private static CropBox SquareAfterEveryUnion(IReadOnlyList<CropBox> boxes, List<int> group)
    {
        var ordered = group.Select(i => boxes[i])
            .OrderBy(b => b.Left).ThenBy(b => b.Up).ThenBy(b => b.Right).ThenBy(b => b.Bottom)
            .ToList();
        var merged = ordered[0];
        foreach (var box in ordered.Skip(1))
        {
            merged = merged.Union(box).Squared();
        }

        return merged;
    }

    /// <summary>The tight square around a whole group (improvement mode): one union, squared once.</summary>
    private static CropBox UnionThenSquare(IReadOnlyList<CropBox> boxes, List<int> group)
    {
        var merged = group.Select(i => boxes[i]).Aggregate((a, b) => a.Union(b));
        return group.Count > 1 ? merged.Squared() : merged;
    }

    /// <summary>
    /// Shifts the box inside the image along each axis where its side fits, clips it where it does not.
    /// </summary>
    public static CropBox ClampIntoImage(CropBox box, int imageWidth, int imageHeight)
    {
        var (left, right) = ClampSpan(box.Left, box.Right, imageWidth);
        var (up, bottom) = ClampSpan(box.Up, box.Bottom, imageHeight);
        return new CropBox(left, up, right, bottom);
    }

    private static (double Start, double End) ClampSpan(double start, double end, int limit)
    {
        var length = end - start;
        if (length > limit)
        {
            return (0, limit);
        }

        if (start < 0)
        {
            return (0, length);
        }

        return end > limit ? (limit - length, limit) : (start, end);
    }

    /// <summary>
    /// The reference grouping: every box's neighbour set (itself included), duplicates removed, sets that
    /// are proper subsets of another dropped; kept in order of first appearance.
    /// </summary>
    private static List<List<int>> NeighbourGroups(IReadOnlyList<CropBox> boxes, int threshold)
    {
        var candidates = new List<List<int>>();
        for (var i = 0; i < boxes.Count; i++)
        {
            var neighbours = new List<int>();
            for (var j = 0; j < boxes.Count; j++)
            {
                if (Gap(boxes[i], boxes[j]) < threshold)
                {
                    neighbours.Add(j);
                }
            }

            if (!candidates.Any(c => c.SequenceEqual(neighbours)))
            {
                candidates.Add(neighbours);
            }
        }

        return candidates
            .Where(c => !candidates.Any(other => other.Count > c.Count && c.All(other.Contains)))
            .ToList();
    }

    /// <summary>Connected components of the "gap below threshold" relation, ordered by their first box.</summary>
    private static List<List<int>> ConnectedGroups(IReadOnlyList<CropBox> boxes, int threshold)
    {
        var component = new int[boxes.Count];
        Array.Fill(component, -1);
        var groups = new List<List<int>>();
        for (var seed = 0; seed < boxes.Count; seed++)
        {
            if (component[seed] >= 0)
            {
                continue;
            }

            var group = new List<int> { seed };
            component[seed] = groups.Count;
            for (var next = 0; next < group.Count; next++)
            {
                for (var j = 0; j < boxes.Count; j++)
                {
                    if (component[j] < 0 && Gap(boxes[group[next]], boxes[j]) < threshold)
                    {
                        component[j] = groups.Count;
                        group.Add(j);
                    }
                }
            }

            group.Sort();
            groups.Add(group);
        }

        return groups;
    }
}
