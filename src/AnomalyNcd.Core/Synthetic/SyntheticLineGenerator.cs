using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// Renders the images of one product line. The plan (which images are normal, which kinds each
/// defective image gets, the split) is fixed up front from the line's seed; each image then draws
/// from its own seeded generator, so images can be rendered in any order or in parallel.
/// </summary>
public sealed class SyntheticLineGenerator
{
    private readonly SyntheticOptions _options;
    private readonly int _lineIndex;
    private readonly DefectKind[][] _kinds;
    private readonly string[] _splits;
    private readonly int _idDigits;

    public SyntheticLineGenerator(SyntheticOptions options, int lineIndex)
    {
        options.Validate();
        _options = options;
        _lineIndex = lineIndex;
        Recipe = LineCatalog.Create(lineIndex, options.Seed);
        _idDigits = Math.Max(4, (options.ImagesPerLine - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);

        var count = options.ImagesPerLine;
        var random = new Random(SeedMixer.Mix(options.Seed, lineIndex, -2));
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        var normalCount = (int)Math.Round(count * options.NormalFraction, MidpointRounding.AwayFromZero);
        var normal = order.Take(normalCount).Order().ToArray();
        var defective = order.Skip(normalCount).Order().ToArray();

        // First 60 % of the normal images (in index order) train the detector; everything else is test.
        var trainCount = (int)Math.Round(normal.Length * SyntheticOptions.TrainShareOfNormals, MidpointRounding.AwayFromZero);
        _splits = Enumerable.Repeat("test", count).ToArray();
        foreach (var index in normal.Take(trainCount))
        {
            _splits[index] = "train";
        }

        // Kinds are dealt round-robin and shuffled, so every kind is about equally frequent.
        var kinds = Recipe.Kinds;
        var primary = Enumerable.Range(0, defective.Length).Select(k => kinds[k % kinds.Count]).ToArray();
        random.Shuffle(primary);
        var twoDefectCount = (int)Math.Round(defective.Length * SyntheticOptions.TwoDefectFraction, MidpointRounding.AwayFromZero);
        var withSecond = Enumerable.Range(0, defective.Length).ToArray();
        random.Shuffle(withSecond);
        var hasSecond = new bool[defective.Length];
        foreach (var k in withSecond.Take(twoDefectCount))
        {
            hasSecond[k] = true;
        }

        _kinds = new DefectKind[count][];
        foreach (var index in normal)
        {
            _kinds[index] = [];
        }

        for (var k = 0; k < defective.Length; k++)
        {
            var others = kinds.Where(kind => kind != primary[k]).ToArray();
            _kinds[defective[k]] = hasSecond[k] ? [primary[k], others[random.Next(others.Length)]] : [primary[k]];
        }

        if (options.DefectsPerImage is var (fewest, most))
        {
            // Many defects per image: the primary kind first (so every kind stays about equally frequent), the rest drawn freely.
            for (var k = 0; k < defective.Length; k++)
            {
                var defects = random.Next(fewest, most + 1);
                _kinds[defective[k]] = [primary[k], .. Enumerable.Range(1, defects - 1).Select(_ => kinds[random.Next(kinds.Count)])];
            }
        }
    }


    public LineRecipe Recipe { get; }

    public int Count => _options.ImagesPerLine;

    public int Size => _options.Size;

    public string Id(int index) => index.ToString(new string('0', _idDigits), System.Globalization.CultureInfo.InvariantCulture);

    public SyntheticSample Render(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var size = _options.Size;
        var random = new Random(SeedMixer.Mix(_options.Seed, _lineIndex, index));
        var texture = SurfaceRenderer.Render(Recipe, random, size);

        var channelCount = Recipe.IsColor ? 3 : 1;
        float[] tint = Recipe.IsColor ? [Recipe.Tint.R, Recipe.Tint.G, Recipe.Tint.B] : [1f];
        var channels = new float[channelCount][];
        for (var c = 0; c < channelCount; c++)
        {
            channels[c] = new float[texture.Length];
            for (var i = 0; i < texture.Length; i++)
            {
                channels[c][i] = texture[i] * tint[c];
            }
        }

        var painted = _options.DefectsPerImage is null
            ? _kinds[index].Select(kind => DefectPainter.Paint(kind, random, size, channelCount, _options.DefectScale)).ToList()
            : PaintApart(_kinds[index], random, size, channelCount);
        foreach (var defect in painted)
        {
            defect.Apply(channels);
        }

        var pixels = Expose(channels, random, size);
        var (rawMap, peaks) = DetectorMapSimulator.Simulate(random, size, Recipe, texture, painted);

        var mask = new GrayImage(size, size);
        var defects = new List<SyntheticDefect>(painted.Count);
        for (var d = 0; d < painted.Count; d++)
        {
            defects.Add(Describe(painted[d], size, peaks[d]));
            var own = painted[d].Mask;
            for (var i = 0; i < own.Length; i++)
            {
                if (own[i])
                {
                    mask.Pixels[i] = 255;
                }
            }
        }

        // With two defects, the image is labelled by the one covering more pixels.
        var label = defects.Count == 0
            ? DefectKinds.NormalLabel
            : defects.OrderByDescending(d => d.Area).First().Kind.Name();
        return new SyntheticSample
        {
            Line = Recipe.Name,
            Index = index,
            Id = Id(index),
            Label = label,
            Split = _splits[index],
            Defects = defects,
            Size = size,
            Channels = channelCount,
            Pixels = pixels,
            Mask = mask,
            RawMap = rawMap,
        };
    }

    /// <summary>Paints each kind where its box, widened by a few pixels, meets no earlier defect's box (or, after 20 tries, anywhere).</summary>
    private List<PaintedDefect> PaintApart(IReadOnlyList<DefectKind> kinds, Random random, int size, int channels)
    {
        const int spacing = 6; // pixels kept free around each defect, so that each stays its own region
        const int attempts = 20;
        var painted = new List<PaintedDefect>(kinds.Count);
        var boxes = new List<(int Left, int Top, int Right, int Bottom)>(kinds.Count);
        foreach (var kind in kinds)
        {
            PaintedDefect defect;
            (int Left, int Top, int Right, int Bottom) box;
            var attempt = 0;
            do
            {
                defect = DefectPainter.Paint(kind, random, size, channels, _options.DefectScale);
                var d = Describe(defect, size, 0);
                box = (d.Left - spacing, d.Top - spacing, d.Left + d.Width + spacing, d.Top + d.Height + spacing);
            }
            while (++attempt < attempts && boxes.Any(b => b.Left < box.Right && box.Left < b.Right && b.Top < box.Bottom && box.Top < b.Bottom));

            painted.Add(defect);
            boxes.Add(box);
        }

        return painted;
    }

    /// <summary>Uneven illumination (linear gradient and vignette), sensor noise, then 8-bit quantisation.</summary>
    private static byte[] Expose(float[][] channels, Random random, int size)
    {
        var angle = random.NextDouble() * 2 * Math.PI;
        var gradient = 0.05 + (0.2 * random.NextDouble());
        var vignette = 0.2 * random.NextDouble();
        var noiseLevel = 0.008 + (0.017 * random.NextDouble());
        var (gx, gy) = (Math.Cos(angle) * gradient / size, Math.Sin(angle) * gradient / size);
        var half = size / 2.0;
        var noise = channels.Select(_ => Planes.Gaussian(random, size * size)).ToArray();
        var pixels = new byte[channels.Length * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var dx = x - half;
                var dy = y - half;
                var light = 1 + (gx * dx) + (gy * dy) - (vignette * ((dx * dx) + (dy * dy)) / (half * half * 2));
                var i = (y * size) + x;
                for (var c = 0; c < channels.Length; c++)
                {
                    var value = (channels[c][i] * light) + (noiseLevel * noise[c][i]);
                    pixels[(i * channels.Length) + c] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
                }
            }
        }

        return pixels;
    }

    private static SyntheticDefect Describe(PaintedDefect defect, int size, double peak)
    {
        int left = size, top = size, right = -1, bottom = -1;
        for (var i = 0; i < defect.Mask.Length; i++)
        {
            if (!defect.Mask[i])
            {
                continue;
            }

            var x = i % size;
            var y = i / size;
            left = Math.Min(left, x);
            right = Math.Max(right, x);
            top = Math.Min(top, y);
            bottom = Math.Max(bottom, y);
        }

        return right < 0
            ? new SyntheticDefect(defect.Kind, 0, 0, 0, 0, 0, defect.Contrast, peak)
            : new SyntheticDefect(defect.Kind, defect.Area, left, top, right - left + 1, bottom - top + 1, defect.Contrast, peak);
    }
}
