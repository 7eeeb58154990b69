using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Frozen backbone tokens of every crop for a fixed set of augmented training views plus one test view,
/// computed once so that training epochs only run the small trainable part (the product's CPU recipe).
/// Tokens are stored as half floats (a 2200-crop set with 4 + 1 views of 196 × 384 tokens needs 1.7 GB).
/// </summary>
public sealed class FeatureBank
{
    private readonly Half[][] _tokens;
    private readonly bool[][] _visible;

    public FeatureBank(int count, int trainViews, int tokens, int channels)
    {
        if (count <= 0 || trainViews < 2 || tokens <= 0 || channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"invalid bank size {count} × {trainViews} views × {tokens} × {channels} (two training views at least)");
        }

        Count = count;
        TrainViews = trainViews;
        Tokens = tokens;
        Channels = channels;
        _tokens = new Half[count][];
        _visible = new bool[count][];
        for (var i = 0; i < count; i++)
        {
            _tokens[i] = new Half[(trainViews + 1) * tokens * channels];
            _visible[i] = new bool[(trainViews + 1) * tokens];
        }
    }

    public int Count { get; }

    public int TrainViews { get; }

    /// <summary>Index of the test view (centre crop, no augmentation).</summary>
    public int TestView => TrainViews;

    public int Tokens { get; }

    public int Channels { get; }

    /// <summary>Stores one view: tokens row-major [Tokens, Channels] and the CLS visibility of each token.</summary>
    public void Set(int sample, int view, ReadOnlySpan<float> tokens, ReadOnlySpan<bool> visible)
    {
        var size = Tokens * Channels;
        if (tokens.Length != size || visible.Length != Tokens || view < 0 || view > TrainViews)
        {
            throw new ArgumentException($"view {view} of sample {sample}: expected {size} token values and {Tokens} flags, got {tokens.Length} and {visible.Length}");
        }

        var target = _tokens[sample].AsSpan(view * size, size);
        for (var i = 0; i < size; i++)
        {
            target[i] = (Half)tokens[i];
        }

        visible.CopyTo(_visible[sample].AsSpan(view * Tokens, Tokens));
    }

    /// <summary>Tokens [n, Tokens, Channels] (float32) and visibility [n, Tokens] of the given (sample, view) pairs.</summary>
    public (Tensor Tokens, Tensor Visible) Batch(IReadOnlyList<int> samples, IReadOnlyList<int> views)
    {
        var size = Tokens * Channels;
        var values = new float[samples.Count * size];
        var flags = new bool[samples.Count * Tokens];
        for (var row = 0; row < samples.Count; row++)
        {
            var source = _tokens[samples[row]].AsSpan(views[row] * size, size);
            var target = values.AsSpan(row * size, size);
            for (var i = 0; i < size; i++)
            {
                target[i] = (float)source[i];
            }

            _visible[samples[row]].AsSpan(views[row] * Tokens, Tokens).CopyTo(flags.AsSpan(row * Tokens, Tokens));
        }

        return (tensor(values).view(samples.Count, Tokens, Channels), tensor(flags).view(samples.Count, Tokens));
    }
}
