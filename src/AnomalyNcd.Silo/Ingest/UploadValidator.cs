using System.Security.Cryptography;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Http;
using OpenCvSharp;

namespace AnomalyNcd.Silo.Ingest;

/// <summary>An uploaded file that passed validation, held in memory (uploads are bounded by the upload limit).</summary>
internal sealed record CheckedFile(byte[] Bytes, string FileName, string Extension, string Sha256);

/// <summary>
/// An upload whose image decodes within the pixel limit and whose map (if any) is readable and fits the image.
/// <see cref="Rgb"/> and <see cref="MapValues"/> are what validation decoded, when they equal what the image processor
/// would read from the stored files (see <see cref="DecodedUploads"/>); the receiver owns (disposes) <see cref="Rgb"/>.
/// </summary>
internal sealed record CheckedUpload(CheckedFile Image, int Width, int Height, CheckedFile? Map, Mat? Rgb = null, FloatMap? MapValues = null);

/// <summary>
/// Validates an upload with the Core readers before anything is stored: the image must decode
/// (<see cref="ImageFiles"/>) within the pixel limit, the map must read (<see cref="AnomalyMapFile"/>)
/// and have the image's size or a scaled copy of it (same aspect ratio; the grain resizes it).
/// Every refusal names the uploaded file.
/// </summary>
internal static class UploadValidator
{
    /// <summary>Aspect ratios of map and image may differ this much (relative) before the map is refused.</summary>
    private const double AspectTolerance = 0.01;

    public static async Task<(CheckedUpload? Upload, UploadRefusal? Refusal)> ValidateAsync(
        IFormFile image, IFormFile? map, AnomalyNcdServerOptions options, CancellationToken cancellationToken)
    {
        var (imageFile, notImage) = await ReadKnownAsync(image, "image", ImageFiles.ImageExtensions, "an image file", cancellationToken);
        if (imageFile is null)
        {
            return (null, notImage);
        }

        var imageName = imageFile.FileName;
        if (ImageFiles.ReadDeclaredSize(imageFile.Bytes) is { } declared && (long)declared.Width * declared.Height > options.MaxImagePixels)
        {
            // Refused from the header: decoding a bomb would allocate its declared size first.
            return (null, UploadRefusal.TooLarge($"{imageName}: image declares {declared.Width}x{declared.Height} pixels, which exceeds the limit of {options.MaxImagePixels} pixels"));
        }

        int width;
        int height;
        Mat? rgb;
        try
        {
            // The same decode as ImageFiles.ReadSize; its pixels are kept when they are what the processor would read.
            using var decoded = ImageFiles.Decode(imageFile.Bytes, imageName, ImreadModes.Unchanged);
            (width, height) = (decoded.Width, decoded.Height);
            rgb = (long)width * height <= options.MaxImagePixels ? AsProcessorRgb(decoded, "." + imageFile.Extension) : null;
        }
        catch (InvalidInputException invalid)
        {
            return (null, UploadRefusal.UnsupportedMediaType($"{imageName}: {invalid.Problem}"));
        }

        if ((long)width * height > options.MaxImagePixels)
        {
            return (null, UploadRefusal.TooLarge($"{imageName}: image of {width}x{height} pixels exceeds the limit of {options.MaxImagePixels} pixels"));
        }

        if (map is null)
        {
            rgb?.Dispose();
            return (new CheckedUpload(imageFile, width, height, null), null);
        }

        CheckedUpload? upload;
        UploadRefusal? problem;
        try
        {
            (upload, problem) = await ValidateMapAsync(map, imageName, imageFile, width, height, cancellationToken);
        }
        catch
        {
            rgb?.Dispose();
            throw;
        }

        if (upload is null || rgb is null)
        {
            rgb?.Dispose();
            return (upload, problem);
        }

        return (upload with { Rgb = rgb }, null);
    }

    /// <summary>
    /// The image as <see cref="ImageFiles.ReadRgb"/> would give it, derived from an unchanged decode: only for 8-bit PNGs
    /// with 1 or 3 channels, where a colour decode is the same pixels (PNG has no orientation tag; gray is replicated).
    /// Null for anything else, which the processor then decodes itself.
    /// </summary>
    private static Mat? AsProcessorRgb(Mat unchanged, string extension)
    {
        if (extension != ".png" || (unchanged.Type() != MatType.CV_8UC3 && unchanged.Type() != MatType.CV_8UC1))
        {
            return null;
        }

        var rgb = new Mat();

        // Explicit arrays, disposed here: implicit ones from the Mats are left to the finalizer (see ImageProcessor.Encode).
        using var source = InputArray.Create(unchanged);
        using var target = OutputArray.Create(rgb);
        Cv2.CvtColor(source, target, unchanged.Channels() == 1 ? ColorConversionCodes.GRAY2RGB : ColorConversionCodes.BGR2RGB);
        return rgb;
    }

    private static async Task<(CheckedUpload? Upload, UploadRefusal? Refusal)> ValidateMapAsync(
        IFormFile map, string imageName, CheckedFile imageFile, int width, int height, CancellationToken cancellationToken)
    {
        var (mapFile, notMap) = await ReadKnownAsync(map, "map", AnomalyMapFile.Extensions, "an anomaly map file", cancellationToken);
        if (mapFile is null)
        {
            return (null, notMap);
        }

        var mapName = mapFile.FileName;
        FloatMap values;
        try
        {
            values = AnomalyMapFile.Read(mapFile.Bytes, mapName);
        }
        catch (InvalidInputException invalid)
        {
            return (null, UploadRefusal.Unprocessable($"{mapName}: {invalid.Problem}"));
        }

        if (!Fits(values.Width, values.Height, width, height))
        {
            return (null, UploadRefusal.Unprocessable(
                $"{mapName}: map of {values.Width}x{values.Height} does not fit image {imageName} of {width}x{height} (needs the same size or the same aspect ratio)"));
        }

        return (new CheckedUpload(imageFile, width, height, mapFile, MapValues: values), null);
    }

    public static bool Fits(int mapWidth, int mapHeight, int imageWidth, int imageHeight)
    {
        if (mapWidth == imageWidth && mapHeight == imageHeight)
        {
            return true;
        }

        var mapAspect = (double)mapWidth / mapHeight;
        var imageAspect = (double)imageWidth / imageHeight;
        return Math.Abs(mapAspect - imageAspect) <= AspectTolerance * imageAspect;
    }

    /// <summary>The client's file name without any folder part (used in messages and as the default image id).</summary>
    public static string SafeName(string? fileName, string fallback)
    {
        var name = System.IO.Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        return string.IsNullOrWhiteSpace(name) ? fallback : name;
    }

    /// <summary>Reads an uploaded file whose name ends in one of <paramref name="extensions"/>; any other is refused as not <paramref name="what"/> (415).</summary>
    private static async Task<(CheckedFile? File, UploadRefusal? Refusal)> ReadKnownAsync(
        IFormFile file, string fallbackName, string[] extensions, string what, CancellationToken cancellationToken)
    {
        var name = SafeName(file.FileName, fallbackName);
        if (!extensions.Contains(System.IO.Path.GetExtension(name).ToLowerInvariant()))
        {
            return (null, UploadRefusal.UnsupportedMediaType($"{name}: not {what} (expected one of {string.Join(", ", extensions)})"));
        }

        return (await ReadAsync(file, name, cancellationToken), null);
    }

    /// <summary>Reads an uploaded file into memory (uploads are bounded by the upload limit) and hashes it.</summary>
    private static async Task<CheckedFile> ReadAsync(IFormFile file, string fileName, CancellationToken cancellationToken)
    {
        var bytes = new byte[checked((int)file.Length)];
        await using (var source = file.OpenReadStream())
        {
            await source.ReadExactlyAsync(bytes, cancellationToken);
        }

        return new CheckedFile(bytes, fileName, System.IO.Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
