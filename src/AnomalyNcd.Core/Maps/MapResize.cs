namespace AnomalyNcd.Core.Maps;

/// <summary>
/// Brings a map to its image's size with nearest neighbour, the mapping the reference uses for masks
/// (cv2.resize INTER_NEAREST, method-spec §4.3/§6): destination pixel x reads source pixel
/// floor(x · srcWidth / dstWidth), likewise for y. Integer arithmetic keeps it exact; no values are invented.
/// </summary>
public static class MapResize
{
    public static FloatMap Nearest(FloatMap map, int width, int height)
    {
        if (map.Width == width && map.Height == height)
        {
            return map;
        }

        var sourceColumns = new int[width];
        for (var x = 0; x < width; x++)
        {
            sourceColumns[x] = (int)Math.Min((long)x * map.Width / width, map.Width - 1);
        }

        if (map.TryGetBytes(out var bytes))
        {
            var resizedBytes = new byte[checked(width * height)];
            for (var y = 0; y < height; y++)
            {
                var sourceRow = (int)Math.Min((long)y * map.Height / height, map.Height - 1) * map.Width;
                var row = y * width;
                for (var x = 0; x < width; x++)
                {
                    resizedBytes[row + x] = bytes[sourceRow + sourceColumns[x]];
                }
            }

            return FloatMap.FromBytes(width, height, resizedBytes);
        }

        var result = new FloatMap(width, height);
        var source = map.Values;
        var target = result.Values;
        for (var y = 0; y < height; y++)
        {
            var sourceRow = (int)Math.Min((long)y * map.Height / height, map.Height - 1) * map.Width;
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                target[row + x] = source[sourceRow + sourceColumns[x]];
            }
        }

        return result;
    }
}
