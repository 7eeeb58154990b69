namespace AnomalyNcd.Core.Features;

/// <summary>A stack of 2-D feature planes for one image, stored channel-major: index (c·Height + y)·Width + x.</summary>
public sealed class FeatureMap
{
    public FeatureMap(int channels, int height, int width, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != (long)channels * height * width)
        {
            throw new ArgumentException($"A {channels}×{height}×{width} map needs {channels * height * width} values, got {values.Length}.", nameof(values));
        }

        Channels = channels;
        Height = height;
        Width = width;
        Values = values;
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Channel-major values, [Channels, Height, Width].</summary>
    public float[] Values { get; }

    public float this[int channel, int y, int x] => Values[((channel * Height) + y) * Width + x];

    /// <summary>One channel plane, row-major.</summary>
    public ReadOnlySpan<float> Plane(int channel) => Values.AsSpan(channel * Height * Width, Height * Width);
}
