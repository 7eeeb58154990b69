namespace AnomalyNcd.Core.Maps;

/// <summary>
/// A raw anomaly map as a detector produced it: one float per pixel, row-major, any value range.
/// It becomes an 8-bit <see cref="Imaging.GrayImage"/> only through an explicit normalisation
/// (<see cref="MapNormalization"/>, <see cref="MapCalibration"/>).
/// </summary>
public sealed class FloatMap
{
    public FloatMap(int width, int height, float[]? values = null)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"map size must be positive, got {width}x{height}");
        }

        values ??= new float[checked(width * height)];
        if (values.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} values for {width}x{height}, got {values.Length}", nameof(values));
        }

        Width = width;
        Height = height;
        Values = values;
    }

    public int Width { get; }

    public int Height { get; }

    public float[] Values { get; }

    public float this[int x, int y]
    {
        get => Values[(y * Width) + x];
        set => Values[(y * Width) + x] = value;
    }

    /// <summary>Smallest and largest value (the map is assumed finite; readers refuse NaN and infinities).</summary>
    public (float Min, float Max) Range()
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var v in Values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }
}
