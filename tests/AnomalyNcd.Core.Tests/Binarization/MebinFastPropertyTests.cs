using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Binarization;

/// <summary>The fast path must reproduce the reference loop exactly, on any input.</summary>
public class MebinFastPropertyTests
{
    [Fact]
    public void Binarize_RandomMapSets_FastEqualsReference()
    {
        var random = new Random(20240611);
        var compared = 0;
        var withAnomaly = 0;
        var failures = new List<string>();

        // sets of 5 maps share one range, as in a real category
        for (var set = 0; set < 210; set++)
        {
            var maps = new List<GrayImage>();
            for (var i = 0; i < 5; i++)
            {
                maps.Add(RandomMap(random));
            }

            MebinRange range;
            if (set % 10 == 9)
            {
                // arbitrary ranges, including degenerate and inverted ones: parity must not depend on a sane range
                range = new MebinRange((byte)random.Next(256), (byte)random.Next(256));
            }
            else
            {
                range = MebinRange.FromMaps(maps, DegenerateRangePolicy.UseGlobalMinimum, $"set {set}");
            }

            var options = set % 7 == 3 ? MebinOptions.Default with { Erode = false } : MebinOptions.Default;
            foreach (var map in maps)
            {
                var fast = MebinFast.Binarize(map, range, options);
                var reference = MebinReference.Binarize(map, range, options);
                var label = $"set {set} map {map.Width}x{map.Height} range {range} erode {options.Erode}";
                if (!fast.Counts.SequenceEqual(reference.Counts))
                {
                    failures.Add($"{label}: counts [{string.Join(",", fast.Counts)}] vs [{string.Join(",", reference.Counts)}]");
                }

                if (fast.Choice != reference.Choice)
                {
                    failures.Add($"{label}: choice {fast.Choice} vs {reference.Choice}");
                }

                if (!fast.Mask.Pixels.AsSpan().SequenceEqual(reference.Mask.Pixels))
                {
                    failures.Add($"{label}: masks differ");
                }

                compared++;
                withAnomaly += reference.EstimatedRegionCount > 0 ? 1 : 0;
            }
        }

        Assert.Empty(failures);
        Assert.True(compared >= 1000, $"only {compared} maps compared");
        Assert.True(withAnomaly >= 200, $"only {withAnomaly} maps had a stable interval; the generator is too easy");
    }

    private static GrayImage RandomMap(Random random)
    {
        var width = random.Next(8, 97);
        var height = random.Next(8, 81);
        return random.Next(10) switch
        {
            0 => SyntheticAnomalyMaps.Noise(random, width, height),
            1 => SyntheticAnomalyMaps.Flat(width, height, (byte)random.Next(256)),
            _ => SyntheticAnomalyMaps.DetectorLike(random, width, height, maxBlobs: 8),
        };
    }
}
