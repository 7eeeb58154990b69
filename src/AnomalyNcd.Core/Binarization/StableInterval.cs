namespace AnomalyNcd.Core.Binarization;

/// <summary>A maximal run of equal component counts: <paramref name="Count"/> at sweep indices Start..End (inclusive).</summary>
public readonly record struct StableInterval(int Count, int Start, int End)
{
    /// <summary>Number of sweep indices in the run.</summary>
    public int IndexCount => End - Start + 1;

    /// <summary>The reference's run length for comparing runs: end − start (one less than the index count).</summary>
    public int Span => End - Start;
}
