using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// One transformed view kept in 8 bits (a quarter of the float size): RGB interleaved row-major
/// (S·S·3 bytes) and the mask (S·S bytes, 0..255 with fractional edges), S = <see cref="CropTransforms.OutputSide"/>.
/// </summary>
public sealed class AugmentedView
{
    public AugmentedView(byte[] rgb, byte[] mask)
    {
        const int pixels = CropTransforms.OutputSide * CropTransforms.OutputSide;
        if (rgb.Length != 3 * pixels || mask.Length != pixels)
        {
            throw new ArgumentException($"expected {3 * pixels} RGB bytes and {pixels} mask bytes, got {rgb.Length} and {mask.Length}");
        }

        Rgb = rgb;
        Mask = mask;
    }

    public byte[] Rgb { get; }

    public byte[] Mask { get; }

    internal static AugmentedView FromMats(Mat rgb, Mat mask) => new(MatBytes.Read(rgb), MatBytes.Read(mask));

    /// <summary>to-tensor (÷255) then ImageNet normalisation for the image, ÷255 only for the mask; CHW.</summary>
    public TransformedCrop ToTensors()
    {
        const int pixels = CropTransforms.OutputSide * CropTransforms.OutputSide;
        var image = new float[3 * pixels];
        for (var c = 0; c < 3; c++)
        {
            var mean = ImageNetNormalization.Mean[c];
            var std = ImageNetNormalization.Std[c];
            for (var p = 0; p < pixels; p++)
            {
                image[(c * pixels) + p] = ((Rgb[(3 * p) + c] / 255f) - mean) / std;
            }
        }

        var mask = new float[pixels];
        for (var p = 0; p < pixels; p++)
        {
            mask[p] = Mask[p] / 255f;
        }

        return new TransformedCrop(image, mask);
    }
}
