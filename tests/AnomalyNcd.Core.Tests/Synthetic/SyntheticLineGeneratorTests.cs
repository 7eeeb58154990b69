using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Core.Tests.Synthetic;

public class SyntheticLineGeneratorTests
{
    private static readonly SyntheticOptions Options = new(Lines: 4, ImagesPerLine: 100, Size: 128, NormalFraction: 0.3, Seed: 3);

    /// <summary>Rendered once: four lines of 100 images at 128 pixels, in memory.</summary>
    private static readonly Lazy<IReadOnlyList<SyntheticSample>[]> Lines = new(() =>
        Enumerable.Range(0, Options.Lines)
            .Select(line =>
            {
                var generator = new SyntheticLineGenerator(Options, line);
                var samples = new SyntheticSample[generator.Count];
                Parallel.For(0, generator.Count, i => samples[i] = generator.Render(i));
                return (IReadOnlyList<SyntheticSample>)samples;
            })
            .ToArray());

    [Fact]
    public void Render_SameIndexTwice_SamePixelsMaskAndMap()
    {
        var generator = new SyntheticLineGenerator(Options, 1);

        var first = generator.Render(17);
        var second = generator.Render(17);

        Assert.Equal(first.Pixels, second.Pixels);
        Assert.Equal(first.Mask.Pixels, second.Mask.Pixels);
        Assert.Equal(first.RawMap, second.RawMap);
    }

    [Fact]
    public void Render_ManyDefectsPerImage_FiveToTenSmallerDefectsPlacedApart()
    {
        var many = new SyntheticLineGenerator(Options with { ImagesPerLine = 30, DefectsPerImage = (5, 10), DefectScale = 0.4 }, 0);
        var standard = Lines.Value[0].Where(s => !s.IsNormal).SelectMany(s => s.Defects).ToList();

        var samples = Enumerable.Range(0, many.Count).Select(many.Render).Where(s => !s.IsNormal).ToList();

        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.InRange(s.Defects.Count, 5, 10));
        var defects = samples.SelectMany(s => s.Defects).ToList();
        Assert.True(defects.Average(d => d.Area) < 0.5 * standard.Average(d => d.Area), $"{defects.Average(d => d.Area):0} against {standard.Average(d => d.Area):0} pixels");
        var pairs = samples.SelectMany(s => s.Defects.SelectMany((a, i) => s.Defects.Skip(i + 1).Select(b => (a, b)))).ToList();
        var touching = pairs.Count(p => p.a.Left < p.b.Left + p.b.Width && p.b.Left < p.a.Left + p.a.Width && p.a.Top < p.b.Top + p.b.Height && p.b.Top < p.a.Top + p.a.Height);
        Assert.True(touching <= pairs.Count / 20, $"{touching} of {pairs.Count} defect pairs overlap");
    }

    [Fact]
    public void Render_KindsAboutEquallyFrequentPerLine()
    {
        foreach (var samples in Lines.Value)
        {
            var primaryCounts = samples.Where(s => !s.IsNormal).GroupBy(s => s.Defects[0].Kind).Select(g => g.Count()).ToList();
            Assert.True(primaryCounts.Max() - primaryCounts.Min() <= 1, $"{samples[0].Line}: {string.Join(", ", primaryCounts)}");
        }
    }

    [Fact]
    public void Render_Map_StrongerInsideDetectedDefectsThanOutside()
    {
        foreach (var samples in Lines.Value)
        {
            double inside = 0, outside = 0;
            long insideCount = 0, outsideCount = 0;
            foreach (var sample in samples)
            {
                for (var i = 0; i < sample.RawMap.Length; i++)
                {
                    if (sample.Mask.Pixels[i] != 0)
                    {
                        inside += sample.RawMap[i];
                        insideCount++;
                    }
                    else
                    {
                        outside += sample.RawMap[i];
                        outsideCount++;
                    }
                }
            }

            Assert.True(inside / insideCount > 2 * (outside / outsideCount), $"{samples[0].Line}: inside {inside / insideCount:0.000}, outside {outside / outsideCount:0.000}");
        }
    }

    [Fact]
    public void Render_Map_MissesAFewDefectsAndPeaksVary()
    {
        var defects = Lines.Value.SelectMany(s => s).SelectMany(s => s.Defects).ToList();

        var missedShare = defects.Count(d => !d.Detected) / (double)defects.Count;
        Assert.InRange(missedShare, 0.01, 0.12);
        var peaks = defects.Where(d => d.Detected).Select(d => d.MapPeak).Order().ToList();
        Assert.True(peaks[peaks.Count / 10] < 0.5 * peaks[peaks.Count * 9 / 10], "weak and strong defects should give clearly different peaks");
    }

    /// <summary>
    /// A trivial method that knows the true class means of one per-image number (mask area, or mean
    /// brightness inside the mask) and assigns every image to the nearest mean must stay well short
    /// of perfect: the kinds overlap in size and contrast.
    /// </summary>
    [Theory]
    [InlineData("mask area")]
    [InlineData("mean intensity in mask")]
    public void TrivialBaseline_NearestClassMeanOnOneFeature_StaysBelowNinetyPercent(string feature)
    {
        foreach (var samples in Lines.Value)
        {
            var defective = samples.Where(s => !s.IsNormal).ToList();
            var values = defective.Select(s => feature == "mask area" ? MaskArea(s) : MeanIntensityInMask(s)).ToList();
            var labels = defective.Select(s => s.Label).ToList();

            var accuracy = NearestClassMeanAccuracy(values, labels);

            Assert.True(accuracy < 0.9, $"{samples[0].Line}: {feature} alone gives accuracy {accuracy:0.00}");
        }
    }

    /// <summary>The kinds are still distinguishable by shape: line-like masks are far more elongated than spots.</summary>
    [Fact]
    public void DefectShapes_ScratchesAndCracksMoreElongatedThanSpots()
    {
        var lineA = Lines.Value[0]; // brushed metal: scratch, spot, crack, stain
        var single = lineA.Where(s => s.Defects.Count == 1).ToList();

        double MeanElongation(DefectKind kind) => single.Where(s => s.Defects[0].Kind == kind).Average(Elongation);

        var spot = MeanElongation(DefectKind.Spot);
        Assert.True(MeanElongation(DefectKind.Scratch) > 2.5 * spot, $"scratch {MeanElongation(DefectKind.Scratch):0.0} vs spot {spot:0.0}");
        Assert.True(MeanElongation(DefectKind.Crack) > 2 * spot, $"crack {MeanElongation(DefectKind.Crack):0.0} vs spot {spot:0.0}");
    }

    private static double MaskArea(SyntheticSample sample) => sample.Mask.CountNonZero();

    private static double MeanIntensityInMask(SyntheticSample sample)
    {
        var luminance = sample.Luminance();
        double sum = 0;
        var count = 0;
        for (var i = 0; i < luminance.Length; i++)
        {
            if (sample.Mask.Pixels[i] != 0)
            {
                sum += luminance[i];
                count++;
            }
        }

        return sum / count;
    }

    private static double NearestClassMeanAccuracy(IReadOnlyList<double> values, IReadOnlyList<string> labels)
    {
        var means = labels.Distinct().ToDictionary(l => l, l => values.Where((_, i) => labels[i] == l).Average());
        var correct = values.Where((v, i) => means.MinBy(m => Math.Abs(m.Value - v)).Key == labels[i]).Count();
        return correct / (double)values.Count;
    }

    /// <summary>Square root of the ratio of the principal second moments of the mask pixels.</summary>
    private static double Elongation(SyntheticSample sample)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < sample.Mask.Pixels.Length; i++)
        {
            if (sample.Mask.Pixels[i] == 0)
            {
                continue;
            }

            double x = i % sample.Size, y = i / sample.Size;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }

        // A pixel has variance 1/12 along each axis; adding it keeps one-pixel-wide lines finite.
        var vx = (sxx / n) - Math.Pow(sx / n, 2) + (1 / 12.0);
        var vy = (syy / n) - Math.Pow(sy / n, 2) + (1 / 12.0);
        var cxy = (sxy / n) - (sx / n * sy / n);
        var mean = (vx + vy) / 2;
        var spread = Math.Sqrt(Math.Pow((vx - vy) / 2, 2) + (cxy * cxy));
        return Math.Sqrt((mean + spread) / (mean - spread));
    }
}
