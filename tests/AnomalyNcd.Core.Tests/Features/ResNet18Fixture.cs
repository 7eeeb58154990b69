using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Features;

/// <summary>One ResNet18 (layers 1–3, one thread) shared by the tests of a class: loading takes a while.</summary>
public sealed class ResNet18Fixture : IDisposable
{
    public static readonly ResNetStage[] Stages = [ResNetStage.Layer1, ResNetStage.Layer2, ResNetStage.Layer3];

    public ResNet18Features Features { get; } = new(Stages);

    public void Dispose() => Features.Dispose();

    public static string ModelFolder => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>The first JPEG (ordinal order) of an MTD class, as a 224×224 RGB crop.</summary>
    public static Mat ReadMtdCrop(string className, int index = 0)
    {
        var folder = TestData.RequireFile("mtd", className, "Imgs");
        var file = Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ElementAt(index);
        using var rgb = ImageFiles.ReadRgb(file);
        var crop = new Mat();
        Cv2.Resize(rgb, crop, new Size(ResNet18Features.InputSize, ResNet18Features.InputSize), interpolation: InterpolationFlags.Area);
        return crop;
    }
}
