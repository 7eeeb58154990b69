namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Derives independent, platform-stable seeds for lines and images from the user's seed
/// (SplitMix64 finaliser), so that images can be rendered in any order or in parallel.
/// </summary>
internal static class SeedMixer
{
    public static int Mix(int seed, int line, int item)
    {
        var state = (ulong)(uint)seed;
        state = Step(state ^ ((ulong)(uint)line << 32));
        state = Step(state ^ (uint)item);
        return (int)(state & 0x7FFF_FFFF);
    }

    private static ulong Step(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }
}
