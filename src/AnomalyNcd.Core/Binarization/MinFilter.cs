using System.Numerics;
using System.Runtime.CompilerServices;

namespace AnomalyNcd.Core.Binarization;

/// <summary>
/// Grayscale erosion with a k×k kernel of ones, as OpenCV's default erode computes it: anchor at
/// (k/2, k/2), so output (x, y) is the minimum over rows y − k/2 … y − k/2 + k − 1 and the same
/// columns; pixels outside the image are ignored (OpenCV's "+max" border). Separable: a horizontal
/// then a vertical pass, each an element-wise minimum of shifted rows (vectorised).
/// </summary>
public static class MinFilter
{
    /// <param name="source">Row-major width × height pixels.</param>
    /// <param name="destination">Receives the eroded pixels; may not overlap <paramref name="source"/>.</param>
    /// <param name="scratch">Working buffer of at least width × height bytes.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip tier-0 code
    public static void Erode(ReadOnlySpan<byte> source, Span<byte> destination, Span<byte> scratch, int width, int height, int kernelSize)
    {
        var pixelCount = width * height;
        if (source.Length < pixelCount || destination.Length < pixelCount || scratch.Length < pixelCount)
        {
            throw new ArgumentException($"buffers must hold {width}x{height} pixels");
        }

        var anchor = kernelSize / 2;
        var first = -anchor;                 // window offsets first..last, 0 always included
        var last = kernelSize - 1 - anchor;

        for (var y = 0; y < height; y++)
        {
            var row = source.Slice(y * width, width);
            var output = scratch.Slice(y * width, width);
            row.CopyTo(output);
            for (var d = first; d <= last; d++)
            {
                if (d == 0 || Math.Abs(d) >= width)
                {
                    continue;
                }

                // output[x] = min(output[x], row[x + d]) wherever x + d lies inside the row
                if (d > 0)
                {
                    MinInto(output[..(width - d)], row[d..]);
                }
                else
                {
                    MinInto(output[(-d)..], row[..(width + d)]);
                }
            }
        }

        for (var y = 0; y < height; y++)
        {
            var output = destination.Slice(y * width, width);
            scratch.Slice(y * width, width).CopyTo(output);
            var top = Math.Max(0, y + first);
            var bottom = Math.Min(height - 1, y + last);
            for (var r = top; r <= bottom; r++)
            {
                if (r != y)
                {
                    MinInto(output, scratch.Slice(r * width, width));
                }
            }
        }
    }

    /// <summary>destination[i] = min(destination[i], other[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MinInto(Span<byte> destination, ReadOnlySpan<byte> other)
    {
        var i = 0;
        var lanes = Vector<byte>.Count;
        if (Vector.IsHardwareAccelerated && destination.Length >= lanes)
        {
            for (; i <= destination.Length - lanes; i += lanes)
            {
                var a = new Vector<byte>(destination[i..]);
                var b = new Vector<byte>(other[i..]);
                Vector.Min(a, b).CopyTo(destination[i..]);
            }

            if (i < destination.Length)
            {
                // the tail as one last vector overlapping the previous one: taking a minimum twice changes nothing
                var last = destination.Length - lanes;
                Vector.Min(new Vector<byte>(destination[last..]), new Vector<byte>(other[last..])).CopyTo(destination[last..]);
                return;
            }
        }

        for (; i < destination.Length; i++)
        {
            if (other[i] < destination[i])
            {
                destination[i] = other[i];
            }
        }
    }
}
