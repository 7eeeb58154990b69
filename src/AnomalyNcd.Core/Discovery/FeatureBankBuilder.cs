using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Fills a <see cref="FeatureBank"/>: for every crop, <c>TrainViews</c> augmented views (method-spec §7.4)
/// and the test view (§7.3) go once through the frozen ResNet18; its layer2 and layer3 maps become a
/// token grid, and the view's mask pooled per token cell decides which tokens the CLS query sees (≥ 0.5), narrowed to
/// those that stand out from the crop's context where the token contrast is on; only those are kept.
/// </summary>
public static class FeatureBankBuilder
{
    public static readonly IReadOnlyList<ResNetStage> Stages = [ResNetStage.Layer2, ResNetStage.Layer3];

    public static int TokenChannels => Stages.Sum(s => s.Channels());

    public static FeatureBank Build(
        CropDataset dataset,
        DiscoveryOptions options,
        int seed,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var grid = options.GridSize;
        if (CropTransforms.OutputSide % grid != 0)
        {
            throw new InvalidInputException(null, $"token grid {grid} must divide the crop side {CropTransforms.OutputSide}");
        }

        var bank = new FeatureBank(dataset.Count, options.TrainViews, grid * grid, TokenChannels, visibleOnly: true);
        using var network = new ResNet18Features(Stages);
        var done = 0;
        Parallel.For(0, dataset.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, i =>
        {
            var sample = dataset.Samples[i];
            var random = new Random(unchecked((seed * 1_000_003) + i)); // deterministic across processes, unlike HashCode
            for (var view = 0; view <= options.TrainViews; view++)
            {
                var augmented = view == bank.TestView
                    ? CropTransforms.Test(sample.Image, sample.Mask)
                    : CropTransforms.Train(sample.Image, sample.Mask, random);
                var (tokens, visible) = ViewTokens(network, augmented.Rgb, augmented.Mask, grid, options);
                bank.Set(i, view, tokens, visible);
            }

            progress?.Report(new ProgressUpdate("crop features", Interlocked.Increment(ref done), dataset.Count));
        });
        return bank;
    }

    /// <summary>
    /// One descriptor per crop from its test view alone (no augmented views, no bank): the frozen ResNet18 tokens its
    /// mask shows, averaged and L2-normalised, as <see cref="ClassCountEstimator"/> describes crops. For
    /// <see cref="BaseSetGate"/>, which must decide before the bank is built which crops it holds.
    /// </summary>
    public static double[][] TestViewDescriptors(
        CropDataset dataset,
        DiscoveryOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var grid = options.GridSize;
        var descriptors = new double[dataset.Count][];
        using var network = new ResNet18Features(Stages);
        var done = 0;
        Parallel.For(0, dataset.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken }, i =>
        {
            var sample = dataset.Samples[i];
            var view = CropTransforms.Test(sample.Image, sample.Mask);
            var (tokens, visible) = ViewTokens(network, view.Rgb, view.Mask, grid, options);
            descriptors[i] = ClassCountEstimator.MaskedMean(tokens, visible, TokenChannels);
            progress?.Report(new ProgressUpdate("base set relevance", Interlocked.Increment(ref done), dataset.Count));
        });
        return descriptors;
    }

    /// <summary>One view through the frozen ResNet18: its grid of tokens (token-major) and which of them its mask shows.</summary>
    private static (float[] Tokens, bool[] Visible) ViewTokens(ResNet18Features network, byte[] rgb, byte[] mask, int grid, DiscoveryOptions options)
    {
        var tokens = PatchTokens.Build(network.Extract(PlanarRgb(rgb)), Stages, grid).Values;
        return (tokens, TokenContrast.Apply(tokens, VisibleTokens(mask, grid, options.TokenCoverage), TokenChannels, options.EffectiveTokenContrast));
    }

    /// <summary>
    /// The paper's backbone: every view (image normalised with ImageNet statistics, mask in [0, 1]) runs
    /// through the frozen blocks of the mask-guided ViT; the tokens before the last block are cached
    /// (patch rows do not depend on the mask, the CLS row does, so each view keeps its own). Returns the
    /// bank and the trainable tail initialised from the checkpoint's last block and final norm.
    /// </summary>
    public static (FeatureBank Bank, VitTail Tail) BuildVit(
        CropDataset dataset,
        DiscoveryOptions options,
        int seed,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var config = options.Vit;
        config.Validate();
        if (config.ImageSize != CropTransforms.OutputSide)
        {
            throw new InvalidInputException(null, $"the ViT backbone must take {CropTransforms.OutputSide}² inputs, its configuration says {config.ImageSize}");
        }

        var weights = options.BackboneWeights ?? throw new InvalidInputException(null, "the dino-vitb8 backbone needs --weights (a DINO ViT-B/8 checkpoint)");
        using var vit = new MaskGuidedVisionTransformer(config);
        DinoCheckpoint.Load(vit, weights);
        vit.eval();
        var bank = new FeatureBank(dataset.Count, options.TrainViews, config.TokenCount, config.EmbedDim);
        var side = CropTransforms.OutputSide;
        for (var i = 0; i < dataset.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var sample = dataset.Samples[i];
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var views = Enumerable.Range(0, options.TrainViews + 1)
                .Select(v => (v == options.TrainViews ? CropTransforms.Test(sample.Image, sample.Mask) : CropTransforms.Train(sample.Image, sample.Mask, random)).ToTensors())
                .ToList();
            var images = stack(views.Select(v => tensor(v.Image).view(3, side, side)).ToArray());
            var masks = stack(views.Select(v => tensor(v.Mask).view(1, side, side)).ToArray());
            var tokens = vit.ForwardPrefix(images, masks, config.Depth - 1).contiguous();
            var visible = TokenMask.VisibleToCls(masks, config.PatchSize);
            for (var v = 0; v < views.Count; v++)
            {
                bank.Set(i, v, tokens[v].data<float>().ToArray(), visible[v].data<bool>().ToArray());
            }

            progress?.Report(new ProgressUpdate("crop features (ViT)", i + 1, dataset.Count));
        }

        return (bank, VitTail.From(vit));
    }

    /// <summary>Interleaved RGB bytes of a 224² view → channel-major floats 0..255, the backbone's input contract.</summary>
    public static float[] PlanarRgb(byte[] interleaved)
    {
        var pixels = interleaved.Length / 3;
        var planar = new float[interleaved.Length];
        for (var p = 0; p < pixels; p++)
        {
            planar[p] = interleaved[3 * p];
            planar[pixels + p] = interleaved[(3 * p) + 1];
            planar[(2 * pixels) + p] = interleaved[(3 * p) + 2];
        }

        return planar;
    }

    /// <summary>
    /// The tokens visible to CLS (method-spec §8.3): the mean of the (soft, 0..255) mask over a grid cell ≥
    /// <paramref name="coverage"/> (the reference: 0.5). The reference's cells are 8 px (ViT-B/8); these are 224 / grid
    /// px (8 px at the default 28, 16 px at 14), so a thin crack or a speck can have foreground yet no cell half covered,
    /// and with no visible token its crop looked exactly like a normal image's empty-mask crop (19 of 64 MTD Crack crops
    /// from ground-truth masks at 14). Such a mask shows its densest cells instead: those covered at least
    /// <paramref name="coverage"/> times as much as the densest one. An empty mask still shows none.
    /// </summary>
    public static bool[] VisibleTokens(byte[] mask, int grid, double coverage = TokenCoverage.Reference)
    {
        TokenCoverage.Validate(coverage);
        var side = CropTransforms.OutputSide;
        var cell = side / grid;
        var sums = new long[grid * grid];
        long densest = 0;
        for (var gy = 0; gy < grid; gy++)
        {
            for (var gx = 0; gx < grid; gx++)
            {
                long sum = 0;
                for (var y = gy * cell; y < (gy + 1) * cell; y++)
                {
                    for (var x = gx * cell; x < (gx + 1) * cell; x++)
                    {
                        sum += mask[(y * side) + x];
                    }
                }

                sums[(gy * grid) + gx] = sum;
                densest = Math.Max(densest, sum);
            }
        }

        // The fallback (no cell half covered) is measured against the densest cell, at the same fraction.
        var full = 255L * cell * cell;
        var reference = 2 * densest >= full ? full : Math.Max(1, densest);
        var needed = reference * coverage;
        var visible = new bool[grid * grid];
        for (var t = 0; t < visible.Length; t++)
        {
            visible[t] = sums[t] >= needed;
        }

        return visible;
    }
}
