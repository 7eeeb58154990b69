namespace AnomalyNcd.Core.Maps;

/// <summary>File formats an anomaly map can be written in (all are read by <see cref="AnomalyMapFile.Read"/>).</summary>
public enum AnomalyMapFormat
{
    /// <summary>8-bit grayscale PNG, values 0..255 (rounded and clamped on writing).</summary>
    Png8,

    /// <summary>16-bit grayscale PNG, values 0..65535 (rounded and clamped on writing).</summary>
    Png16,

    /// <summary>Single-channel 32-bit float TIFF (exact).</summary>
    FloatTiff,

    /// <summary>NumPy .npy, little-endian float32, C order (exact).</summary>
    Npy,
}
