namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// A small, fast generator (SplitMix64) for per-pixel noise, where System.Random would dominate the
/// run time. Seeded from the image's System.Random, so results stay a pure function of the seed.
/// </summary>
internal struct FastRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextBits()
    {
        _state += 0x9E37_79B9_7F4A_7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// An approximately standard normal sample: the sum of four 16-bit uniforms, centred and scaled
    /// to unit variance (Irwin–Hall). Plenty for texture and sensor noise, and far cheaper than
    /// logarithms and sines.
    /// </summary>
    public float NextGaussian()
    {
        var bits = NextBits();
        var sum = (bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) + ((bits >> 32) & 0xFFFF) + (bits >> 48);
        return ((sum * (1f / 65536f)) - 2f) * 1.7320508f;
    }
}
