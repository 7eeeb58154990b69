namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// The random choices of one train-transform view (method-spec §7.4), drawn up front so that a view is
/// reproducible and each step can be tested on its own.
/// </summary>
public sealed record TrainAugmentation(
    int CropLeft,
    int CropTop,
    bool FlipHorizontal,
    bool FlipVertical,
    IReadOnlyList<ColorJitterStep> JitterOrder,
    double Brightness,
    double Contrast,
    double Saturation,
    int QuarterTurns,
    double Sharpness,
    int BlurKernel,
    double BlurSigma,
    int PosterizeBits)
{
    public static readonly int[] BlurKernels = [9, 13, 17, 21, 25, 29, 33];

    /// <summary>No change besides the 224 window at (0,0) after resizing; a base for tests that vary one step.</summary>
    public static TrainAugmentation Identity { get; } = new(
        0, 0, false, false, [ColorJitterStep.Brightness, ColorJitterStep.Contrast, ColorJitterStep.Saturation],
        1, 1, 1, 0, 1, 1, 1, 8);

    /// <summary>
    /// Crop offsets int(U·32) on both axes (0..31, as the reference); flips p = ½ each; brightness and
    /// contrast U(0.6, 1.4), saturation U(0.6, 1.8) in a uniformly random order; rotation 0/90/180/270°
    /// each p = ¼; sharpness 0.2 + 1.8·U; blur kernel uniform in {9, 13, …, 33}, σ ~ U(0.1, 2.0);
    /// posterize bits uniform in {5, 6, 7, 8}.
    /// </summary>
    public static TrainAugmentation Draw(Random random)
    {
        var cropTop = (int)(random.NextDouble() * 32);
        var cropLeft = (int)(random.NextDouble() * 32);
        var flipHorizontal = random.NextDouble() < 0.5;
        var flipVertical = random.NextDouble() < 0.5;
        var brightness = Uniform(random, 0.6, 1.4);
        var contrast = Uniform(random, 0.6, 1.4);
        var saturation = Uniform(random, 0.6, 1.8);
        ColorJitterStep[] order = [ColorJitterStep.Brightness, ColorJitterStep.Contrast, ColorJitterStep.Saturation];
        random.Shuffle(order);
        var rotation = random.NextDouble();
        var quarterTurns = rotation < 0.25 ? 1 : rotation < 0.5 ? 2 : rotation < 0.75 ? 3 : 0;
        var sharpness = 0.2 + (1.8 * random.NextDouble());
        var blurKernel = BlurKernels[random.Next(BlurKernels.Length)];
        var blurSigma = Uniform(random, 0.1, 2.0);
        var posterizeBits = 5 + random.Next(4);
        return new TrainAugmentation(
            cropLeft, cropTop, flipHorizontal, flipVertical, order, brightness, contrast, saturation,
            quarterTurns, sharpness, blurKernel, blurSigma, posterizeBits);
    }

    private static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());
}
