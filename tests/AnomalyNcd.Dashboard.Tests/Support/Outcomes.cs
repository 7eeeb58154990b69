using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Builds region outcomes for tests: <paramref name="count"/> regions of a class with one verdict.</summary>
internal static class Outcomes
{
    public static IEnumerable<RegionOutcome> Of(string classId, OperatorVerdict verdict, int count, double confidence = 0.9, string model = "v1") =>
        Enumerable.Range(0, count).Select(_ => new RegionOutcome(classId, confidence, model, verdict, verdict == OperatorVerdict.Undecided ? null : classId));
}
