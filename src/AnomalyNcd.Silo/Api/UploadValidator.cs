using System.Security.Cryptography;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Silo.Hosting;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Silo.Api;

/// <summary>An uploaded file that passed validation, waiting in the scratch folder.</summary>
internal sealed record CheckedFile(string Path, string FileName, string Extension, string Sha256);

/// <summary>An upload whose image decodes within the pixel limit and whose map (if any) is readable and fits the image.</summary>
internal sealed record CheckedUpload(CheckedFile Image, int Width, int Height, CheckedFile? Map);

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

    public static async Task<(CheckedUpload? Upload, IResult? Problem)> ValidateAsync(
        IFormFile image, IFormFile? map, string scratchFolder, AnomalyNcdServerOptions options, CancellationToken cancellationToken)
    {
        var imageName = SafeName(image.FileName, "image");
        var imageExtension = System.IO.Path.GetExtension(imageName).ToLowerInvariant();
        if (!ImageFiles.ImageExtensions.Contains(imageExtension))
        {
            return (null, ApiProblems.UnsupportedMediaType(
                $"{imageName}: not an image file (expected one of {string.Join(", ", ImageFiles.ImageExtensions)})"));
        }

        var imageFile = await SaveAsync(image, imageName, "image" + imageExtension, scratchFolder, cancellationToken);
        if (ImageFiles.ReadDeclaredSize(imageFile.Path) is { } declared && (long)declared.Width * declared.Height > options.MaxImagePixels)
        {
            // Refused from the header: decoding a bomb would allocate its declared size first.
            return (null, ApiProblems.TooLarge($"{imageName}: image declares {declared.Width}x{declared.Height} pixels, which exceeds the limit of {options.MaxImagePixels} pixels"));
        }

        int width;
        int height;
        try
        {
            (width, height) = ImageFiles.ReadSize(imageFile.Path);
        }
        catch (InvalidInputException invalid)
        {
            return (null, ApiProblems.UnsupportedMediaType($"{imageName}: {invalid.Problem}"));
        }

        if ((long)width * height > options.MaxImagePixels)
        {
            return (null, ApiProblems.TooLarge($"{imageName}: image of {width}x{height} pixels exceeds the limit of {options.MaxImagePixels} pixels"));
        }

        if (map is null)
        {
            return (new CheckedUpload(imageFile, width, height, null), null);
        }

        var mapName = SafeName(map.FileName, "map");
        var mapExtension = System.IO.Path.GetExtension(mapName).ToLowerInvariant();
        if (!AnomalyMapFile.Extensions.Contains(mapExtension))
        {
            return (null, ApiProblems.UnsupportedMediaType(
                $"{mapName}: not an anomaly map file (expected one of {string.Join(", ", AnomalyMapFile.Extensions)})"));
        }

        var mapFile = await SaveAsync(map, mapName, "map" + mapExtension, scratchFolder, cancellationToken);
        FloatMap values;
        try
        {
            values = AnomalyMapFile.Read(mapFile.Path);
        }
        catch (InvalidInputException invalid)
        {
            return (null, ApiProblems.Unprocessable($"{mapName}: {invalid.Problem}"));
        }

        if (!Fits(values.Width, values.Height, width, height))
        {
            return (null, ApiProblems.Unprocessable(
                $"{mapName}: map of {values.Width}x{values.Height} does not fit image {imageName} of {width}x{height} (needs the same size or the same aspect ratio)"));
        }

        return (new CheckedUpload(imageFile, width, height, mapFile), null);
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

    private static async Task<CheckedFile> SaveAsync(IFormFile file, string fileName, string scratchName, string scratchFolder, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(scratchFolder, scratchName);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = file.OpenReadStream())
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return new CheckedFile(path, fileName, System.IO.Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant(), Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
