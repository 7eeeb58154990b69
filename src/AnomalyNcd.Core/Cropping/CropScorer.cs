using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Cropping;

/// <summary>
/// The crop anomaly score (method-spec §6.6): the map normalised with the set's MEBin range (float64,
/// stored as float32 like PIL mode "F"), brought to the image size with Pillow's bicubic when the sizes
/// differ, and maximised inside the rounded crop box with zero padding outside the image.
/// </summary>
public sealed class CropScorer
{
    private readonly float[]? _normalized;
    private readonly GrayImage? _sameSizeMap;
    private readonly double[] _table;
    private readonly int _width;
    private readonly int _height;

    public CropScorer(GrayImage rawMap, MebinRange range, int imageWidth, int imageHeight)
    {
        if (range.IsDegenerate)
        {
            throw new ArgumentException($"MEBin range {range.MinTh}..{range.MaxTh} is degenerate; the normalised map would be undefined", nameof(range));
        }

        _table = range.NormalizationTable();
        _width = imageWidth;
        _height = imageHeight;
        if ((rawMap.Width, rawMap.Height) == (imageWidth, imageHeight))
        {
            // No resampling: the normalisation is nondecreasing in the raw value, so the peak of the normalised
            // values in a box is the normalised peak raw value; no float copy of the map is needed.
            _sameSizeMap = rawMap;
            return;
        }

        var normalized = new float[rawMap.Pixels.Length];
        for (var i = 0; i < normalized.Length; i++)
        {
            normalized[i] = (float)_table[rawMap.Pixels[i]];
        }

        _normalized = PilBicubic.Resize(normalized, rawMap.Width, rawMap.Height, imageWidth, imageHeight);
    }

    /// <summary>The peak of the normalised map inside the box, on the 0–255 scale (may exceed 255 slightly after bicubic upscaling).</summary>
    public float Score(PixelBox box)
    {
        var inside = PilCrop.Intersect(box, _width, _height);
        var sticksOut = inside is null || box.Left < 0 || box.Up < 0 || box.Right > _width || box.Bottom > _height;
        var peak = sticksOut ? 0f : float.NegativeInfinity;
        if (inside is { } area)
        {
            peak = Math.Max(peak, _sameSizeMap is { } map ? (float)_table[RawPeak(map, area)] : ResampledPeak(area));
        }

        return peak;
    }

    private static byte RawPeak(GrayImage map, OpenCvSharp.Rect area)
    {
        byte peak = 0;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            foreach (var p in map.Pixels.AsSpan((y * map.Width) + area.X, area.Width))
            {
                peak = Math.Max(peak, p);
            }
        }

        return peak;
    }

    private float ResampledPeak(OpenCvSharp.Rect area)
    {
        var peak = float.NegativeInfinity;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            var row = y * _width;
            for (var x = area.X; x < area.Right; x++)
            {
                peak = Math.Max(peak, _normalized![row + x]);
            }
        }

        return peak;
    }
}
