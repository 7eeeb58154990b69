namespace AnomalyNcd.Dashboard.Logic;

/// <summary>One predicted class: how many regions, their confidences in <see cref="ClassQuality.Bins"/> bins, and what operators did with them.</summary>
public sealed record ClassQuality(string ClassId, int Count, int[] ConfidenceHistogram, int Kept, int Moved, int Rejected, int Undecided)
{
    /// <summary>Confidence bins of width 0.1 from 0 to 1 (1.0 falls into the last one).</summary>
    public const int Bins = 10;

    public int Decided => Kept + Moved + Rejected;

    public double KeptShare => Share(Kept);

    public double MovedShare => Share(Moved);

    public double RejectedShare => Share(Rejected);

    /// <summary>The count of regions per operator decision, in the order the confusion table shows them.</summary>
    public int CountOf(OperatorVerdict verdict) => verdict switch
    {
        OperatorVerdict.Kept => Kept,
        OperatorVerdict.Moved => Moved,
        OperatorVerdict.Rejected => Rejected,
        _ => Undecided,
    };

    private double Share(int part) => Decided == 0 ? 0 : (double)part / Decided;

    /// <summary>Per predicted class, largest first; ties by class id.</summary>
    public static IReadOnlyList<ClassQuality> From(IEnumerable<RegionOutcome> outcomes) =>
        outcomes.GroupBy(o => o.PredictedClassId, StringComparer.Ordinal)
            .Select(g => Of(g.Key, g.ToList()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.ClassId, StringComparer.Ordinal)
            .ToList();

    public static int BinOf(double confidence) => Math.Clamp((int)Math.Floor(confidence * Bins), 0, Bins - 1);

    private static ClassQuality Of(string classId, IReadOnlyList<RegionOutcome> regions)
    {
        var histogram = new int[Bins];
        foreach (var region in regions)
        {
            histogram[BinOf(region.Confidence)]++;
        }

        return new ClassQuality(
            classId,
            regions.Count,
            histogram,
            regions.Count(r => r.Verdict == OperatorVerdict.Kept),
            regions.Count(r => r.Verdict == OperatorVerdict.Moved),
            regions.Count(r => r.Verdict == OperatorVerdict.Rejected),
            regions.Count(r => r.Verdict == OperatorVerdict.Undecided));
    }
}
