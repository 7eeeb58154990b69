using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Artefacts;
using OpenCvSharp;

namespace AnomalyNcd.Grains.Tests.Support;

/// <summary>
/// A small deterministic test picture: a textured grey image with two defects and the raw float map a
/// detector would give it (values 0..1, so a line calibrated to [0, 1]): a large flat-topped blob
/// (peak 1.0) and a smaller one (peak 0.8) far apart, over a faint background.
/// </summary>
public static class SyntheticPicture
{
    public const int Size = 128;

    public static readonly (int X, int Y, int Radius, float Peak) LargeDefect = (36, 40, 12, 1.0f);
    public static readonly (int X, int Y, int Radius, float Peak) SmallDefect = (94, 92, 7, 0.8f);

    /// <summary>PNG bytes; <paramref name="variant"/> shifts the texture so the bytes (and hash) differ.</summary>
    public static byte[] ImagePng(int variant = 0)
    {
        using var image = new Mat(Size, Size, MatType.CV_8UC3);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var grey = (byte)(90 + ((x * 7 + y * 3 + variant) % 40));
                var defect = Inside(x, y, LargeDefect) || Inside(x, y, SmallDefect);
                image.Set(y, x, defect ? new Vec3b(20, 30, 200) : new Vec3b(grey, grey, grey));
            }
        }

        Cv2.ImEncode(".png", image, out var png);
        return png;
    }

    /// <summary>The raw map at <paramref name="size"/>² (the defects scale with it); <paramref name="withDefects"/> false gives a normal image's map.</summary>
    public static FloatMap Map(int size = Size, bool withDefects = true)
    {
        var map = new FloatMap(size, size);
        var scale = size / (double)Size;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var value = 0.01f + (((x + y) % 3) * 0.002f);
                if (withDefects)
                {
                    value = Math.Max(value, Blob(x / scale, y / scale, LargeDefect));
                    value = Math.Max(value, Blob(x / scale, y / scale, SmallDefect));
                }

                map[x, y] = value;
            }
        }

        return map;
    }

    public static byte[] MapNpy(int size = Size, bool withDefects = true) => NpyFile.Encode(Map(size, withDefects));

    /// <summary>Stores image and map and returns the submission the API would send.</summary>
    public static async Task<ImageSubmission> StoreAsync(IArtefactStore store, int variant = 0, int mapSize = Size, bool withDefects = true)
    {
        var image = await store.PutAsync(ImagePng(variant), "image", "png");
        var map = await store.PutAsync(MapNpy(mapSize, withDefects), "map", "npy");
        return new ImageSubmission(image, map, Size, Size, $"picture-{variant}.png", null);
    }

    private static bool Inside(int x, int y, (int X, int Y, int Radius, float Peak) defect) =>
        ((x - defect.X) * (x - defect.X)) + ((y - defect.Y) * (y - defect.Y)) <= defect.Radius * defect.Radius;

    /// <summary>Flat top inside the radius, a linear fall-off over 3 pixels outside it.</summary>
    private static float Blob(double x, double y, (int X, int Y, int Radius, float Peak) defect)
    {
        var distance = Math.Sqrt(((x - defect.X) * (x - defect.X)) + ((y - defect.Y) * (y - defect.Y)));
        var outside = distance - defect.Radius;
        return outside <= 0 ? defect.Peak : (float)Math.Max(0, defect.Peak * (1 - (outside / 3)));
    }
}
