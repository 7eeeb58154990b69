namespace AnomalyNcd.Core.Maps;

/// <summary>
/// A raw anomaly map as a detector produced it: one float per pixel, row-major, any value range.
/// It becomes an 8-bit <see cref="Imaging.GrayImage"/> only through an explicit normalisation
/// (<see cref="MapNormalization"/>, <see cref="MapCalibration"/>).
/// </summary>
/// <remarks>
/// A map read from an 8-bit file is held as its bytes and gets its float array only when <see cref="Values"/> is first
/// asked for (the same numbers, 0..255): the hot path (range, calibration, resize) works on the bytes through
/// <see cref="TryGetBytes"/>, which saves a 4-bytes-per-pixel array (on the large object heap from 256×256 up).
/// </remarks>
public sealed class FloatMap
{
    private readonly byte[]? _bytes;

    private float[]? _values;

    public FloatMap(int width, int height, float[]? values = null)
    {
        CheckSize(width, height);
        values ??= new float[checked(width * height)];
        if (values.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} values for {width}x{height}, got {values.Length}", nameof(values));
        }

        Width = width;
        Height = height;
        _values = values;
    }

    private FloatMap(int width, int height, byte[] bytes)
    {
        CheckSize(width, height);
        if (bytes.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} values for {width}x{height}, got {bytes.Length}", nameof(bytes));
        }

        Width = width;
        Height = height;
        _bytes = bytes;
    }

    /// <summary>A map whose values are these 8-bit values (taking ownership of the array: the caller must not change it).</summary>
    public static FloatMap FromBytes(int width, int height, byte[] values) => new(width, height, values);

    public int Width { get; }

    public int Height { get; }

    /// <summary>The values; for a map made from bytes, converted on first access (and from then on the only truth).</summary>
    public float[] Values => Volatile.Read(ref _values) ?? Materialize();

    public float this[int x, int y]
    {
        get => TryGetBytes(out var bytes) ? bytes[(y * Width) + x] : Values[(y * Width) + x];
        set => Values[(y * Width) + x] = value;
    }

    /// <summary>
    /// The 8-bit values when the map was made from bytes and its float array was never handed out (so nobody can have
    /// changed a value since): then <c>Values[i] == bytes[i]</c> for every pixel.
    /// </summary>
    internal bool TryGetBytes(out ReadOnlySpan<byte> bytes)
    {
        if (_bytes is not null && Volatile.Read(ref _values) is null)
        {
            bytes = _bytes;
            return true;
        }

        bytes = default;
        return false;
    }

    /// <summary>Smallest and largest value (the map is assumed finite; readers refuse NaN and infinities).</summary>
    public (float Min, float Max) Range()
    {
        if (TryGetBytes(out var bytes))
        {
            byte low = byte.MaxValue, high = byte.MinValue;
            foreach (var b in bytes)
            {
                low = Math.Min(low, b);
                high = Math.Max(high, b);
            }

            return (low, high);
        }

        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var v in Values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }

    private float[] Materialize()
    {
        var values = new float[_bytes!.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _bytes[i];
        }

        // two threads converting at once: one array wins, so every caller sees (and may change) the same one
        return Interlocked.CompareExchange(ref _values, values, null) ?? values;
    }

    private static void CheckSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"map size must be positive, got {width}x{height}");
        }
    }
}
