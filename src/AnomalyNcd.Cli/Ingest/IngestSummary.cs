using System.Globalization;
using AnomalyNcd.Cli.Api;

namespace AnomalyNcd.Cli.Ingest;

/// <summary>Counts of an ingest run; not thread-safe (the caller serialises <see cref="Add"/>).</summary>
internal sealed class IngestSummary(int total)
{
    private readonly List<IngestOutcome> rejections = [];

    public int Total { get; } = total;

    public int Sent { get; private set; }

    public int Created { get; private set; }

    public int AlreadyPresent { get; private set; }

    public int Acknowledged => Created + AlreadyPresent;

    public int Rejected => rejections.Count;

    public void Add(IngestOutcome outcome)
    {
        Sent++;
        if (outcome.Status == 201)
        {
            Created++;
        }
        else if (outcome.Status == 200)
        {
            AlreadyPresent++;
        }
        else
        {
            rejections.Add(outcome);
        }
    }

    public string Progress(TimeSpan elapsed) =>
        $"{Sent}/{Total} sent, {Acknowledged} acknowledged, {Rejected} rejected ({Rate(elapsed)} images/s)";

    public void Print(TextWriter output, string line, TimeSpan elapsed)
    {
        foreach (var rejection in rejections.OrderBy(r => r.File, StringComparer.Ordinal))
        {
            var status = rejection.Status == 0 ? "not sent" : rejection.Status.ToString(CultureInfo.InvariantCulture);
            output.WriteLine($"rejected {rejection.File}: {status}: {rejection.Problem}");
        }

        output.WriteLine(
            $"ingested into line '{line}': sent {Sent}, acknowledged {Acknowledged} ({Created} new, {AlreadyPresent} already present), " +
            $"rejected {Rejected}; {Rate(elapsed)} images/s over {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
    }

    private string Rate(TimeSpan elapsed) =>
        (Sent / Math.Max(elapsed.TotalSeconds, 1e-3)).ToString("F1", CultureInfo.InvariantCulture);
}
