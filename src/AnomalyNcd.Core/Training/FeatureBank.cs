using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Frozen backbone tokens of every crop for a fixed set of augmented training views plus one test view,
/// computed once so that training epochs only run the small trainable part (the product's CPU recipe).
/// Tokens are stored as half floats. With <c>visibleOnly</c> (the mask-guided token encoder, whose CLS query never
/// reads a hidden token) a view keeps only its visible tokens, or all of them when none is visible (the class-count
/// estimate describes such a crop by their mean), so its size follows the masks' area rather than the grid's. The
/// ViT tail refines every token, so its bank stays dense.
/// </summary>
public sealed class FeatureBank
{
    private readonly Half[][][] _tokens;
    private readonly bool[][] _visible;

    public FeatureBank(int count, int trainViews, int tokens, int channels, bool visibleOnly = false)
    {
        if (count <= 0 || trainViews < 2 || tokens <= 0 || channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"invalid bank size {count} × {trainViews} views × {tokens} × {channels} (two training views at least)");
        }

        Count = count;
        TrainViews = trainViews;
        Tokens = tokens;
        Channels = channels;
        VisibleOnly = visibleOnly;
        _tokens = new Half[count][][];
        _visible = new bool[count][];
        for (var i = 0; i < count; i++)
        {
            _tokens[i] = new Half[trainViews + 1][];
            _visible[i] = new bool[(trainViews + 1) * tokens];
        }
    }

    public int Count { get; }

    public int TrainViews { get; }

    /// <summary>Index of the test view (centre crop, no augmentation).</summary>
    public int TestView => TrainViews;

    public int Tokens { get; }

    public int Channels { get; }

    /// <summary>Whether hidden tokens are dropped (they read back as zeros).</summary>
    public bool VisibleOnly { get; }

    /// <summary>Stores one view: tokens row-major [Tokens, Channels] and the CLS visibility of each token.</summary>
    public void Set(int sample, int view, ReadOnlySpan<float> tokens, ReadOnlySpan<bool> visible)
    {
        var size = Tokens * Channels;
        if (tokens.Length != size || visible.Length != Tokens || view < 0 || view > TrainViews)
        {
            throw new ArgumentException($"view {view} of sample {sample}: expected {size} token values and {Tokens} flags, got {tokens.Length} and {visible.Length}");
        }

        var keepAll = !VisibleOnly || !visible.Contains(true);
        var kept = keepAll ? Tokens : visible.Count(true);
        var target = new Half[kept * Channels];
        var row = 0;
        for (var t = 0; t < Tokens; t++)
        {
            if (!keepAll && !visible[t])
            {
                continue;
            }

            var source = tokens.Slice(t * Channels, Channels);
            var destination = target.AsSpan(row++ * Channels, Channels);
            for (var c = 0; c < Channels; c++)
            {
                destination[c] = (Half)source[c];
            }
        }

        _tokens[sample][view] = target;
        visible.CopyTo(_visible[sample].AsSpan(view * Tokens, Tokens));
    }

    /// <summary>Tokens [n, Tokens, Channels] (float32; dropped hidden tokens are zeros) and visibility [n, Tokens] of the given (sample, view) pairs.</summary>
    /// <remarks>Each view is expanded straight into the tensor's own memory: a managed copy of a whole 28×28 batch would
    /// be tens of megabytes of garbage per step, and TorchSharp's element-wise accessor copy costs more than the step's
    /// arithmetic.</remarks>
    public (Tensor Tokens, Tensor Visible) Batch(IReadOnlyList<int> samples, IReadOnlyList<int> views)
    {
        var size = Tokens * Channels;
        var result = empty(new long[] { samples.Count, Tokens, Channels }, ScalarType.Float32);
        var target = MemoryMarshal.Cast<byte, float>(result.bytes);
        var flags = new bool[samples.Count * Tokens];
        for (var n = 0; n < samples.Count; n++)
        {
            var stored = _tokens[samples[n]][views[n]] ?? throw new InvalidOperationException($"view {views[n]} of sample {samples[n]} was never stored");
            var visible = _visible[samples[n]].AsSpan(views[n] * Tokens, Tokens);
            var expanded = target.Slice(n * size, size);
            if (stored.Length == size)
            {
                for (var i = 0; i < size; i++)
                {
                    expanded[i] = (float)stored[i];
                }
            }
            else
            {
                expanded.Clear();
                var next = 0;
                for (var t = 0; t < Tokens; t++)
                {
                    if (!visible[t])
                    {
                        continue;
                    }

                    var source = stored.AsSpan(next++ * Channels, Channels);
                    var destination = expanded.Slice(t * Channels, Channels);
                    for (var c = 0; c < Channels; c++)
                    {
                        destination[c] = (float)source[c];
                    }
                }
            }

            visible.CopyTo(flags.AsSpan(n * Tokens, Tokens));
        }

        return (result, tensor(flags).view(samples.Count, Tokens));
    }
}
