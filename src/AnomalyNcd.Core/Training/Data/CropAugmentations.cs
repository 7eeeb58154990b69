using OpenCvSharp;

namespace AnomalyNcd.Core.Training.Data;

/// <summary>The non-PIL-enhance steps of the train transform (method-spec §7.4), each returning a new Mat.</summary>
public static class CropAugmentations
{
    /// <summary>The window at (<paramref name="left"/>, <paramref name="top"/>) of side <paramref name="side"/>, copied.</summary>
    public static Mat CropWindow(Mat image, int left, int top, int side)
    {
        if (left < 0 || top < 0 || left + side > image.Width || top + side > image.Height)
        {
            throw new ArgumentOutOfRangeException(nameof(left), $"window {side}x{side} at ({left},{top}) leaves the {image.Width}x{image.Height} image");
        }

        using var view = new Mat(image, new Rect(left, top, side, side));
        return view.Clone();
    }

    public static Mat FlipHorizontal(Mat image)
    {
        var flipped = new Mat();
        Cv2.Flip(image, flipped, FlipMode.Y);
        return flipped;
    }

    public static Mat FlipVertical(Mat image)
    {
        var flipped = new Mat();
        Cv2.Flip(image, flipped, FlipMode.X);
        return flipped;
    }

    /// <summary>Counter-clockwise rotation by quarterTurns·90° (an exact pixel permutation); 0 copies.</summary>
    public static Mat RotateCounterClockwise(Mat image, int quarterTurns)
    {
        var rotated = new Mat();
        switch (((quarterTurns % 4) + 4) % 4)
        {
            case 0:
                image.CopyTo(rotated);
                break;
            case 1:
                Cv2.Rotate(image, rotated, RotateFlags.Rotate90Counterclockwise);
                break;
            case 2:
                Cv2.Rotate(image, rotated, RotateFlags.Rotate180);
                break;
            default:
                Cv2.Rotate(image, rotated, RotateFlags.Rotate90Clockwise);
                break;
        }

        return rotated;
    }

    /// <summary>
    /// torchvision's gaussian_blur: separable kernel exp(−x²/2σ²) normalised, x = −k/2..k/2, reflect
    /// padding without repeating the edge (torch "reflect" = OpenCV REFLECT_101), computed in float and
    /// rounded back to 8 bits.
    /// </summary>
    public static Mat GaussianBlur(Mat image, int kernelSize, double sigma)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernel size must be odd and positive, got {kernelSize}");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        using var asFloat = new Mat();
        image.ConvertTo(asFloat, MatType.CV_32FC(image.Channels()));
        using var blurred = new Mat();
        Cv2.GaussianBlur(asFloat, blurred, new Size(kernelSize, kernelSize), sigma, sigma, BorderTypes.Reflect101);
        var result = new Mat();
        blurred.ConvertTo(result, image.Type());
        return result;
    }

    /// <summary>PIL ImageOps.posterize: keep the top <paramref name="bits"/> bits of every channel value.</summary>
    public static Mat Posterize(Mat image, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 8);
        var keep = (byte)(0xFF << (8 - bits));
        var bytes = MatBytes.Read(image);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= keep;
        }

        return MatBytes.Write(bytes, image.Rows, image.Cols, image.Type());
    }
}
