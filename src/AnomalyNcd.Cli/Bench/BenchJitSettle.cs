using System.Runtime;

namespace AnomalyNcd.Cli.Bench;

/// <summary>
/// Warm-up for an in-process silo until .NET's tiered JIT has finished recompiling the hot paths. After start the
/// background compiler keeps promoting methods for about a minute under this load (measured: 12–25 % of the
/// process's CPU per 10 s in the first 40 s, under 0.5 % after 60 s), so a rate measured earlier is a start-up figure,
/// not a sustained one. The load runs in slices until one slice spends at most <see cref="SettledShare"/> of its
/// time in the JIT, or until the time allowed runs out.
/// </summary>
internal static class BenchJitSettle
{
    /// <summary>Length of one warm-up slice.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromSeconds(3);

    /// <summary>JIT time per wall time at or below which the JIT counts as settled (1 %: 30 ms in a 3 s slice).</summary>
    public const double SettledShare = 0.01;

    /// <summary>True when <paramref name="jitTime"/> spent compiling during <paramref name="slice"/> is small enough to measure.</summary>
    public static bool IsSettled(TimeSpan jitTime, TimeSpan slice) =>
        slice > TimeSpan.Zero && jitTime.TotalSeconds <= SettledShare * slice.TotalSeconds;

    /// <summary>Runs <paramref name="load"/> slice by slice until the JIT settles or <paramref name="limit"/> has passed.</summary>
    public static async Task<SettleOutcome> WarmAsync(LoadGenerator load, TimeSpan limit, CancellationToken cancel)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var jitAtStart = JitInfo.GetCompilationTime();
        var methodsAtStart = JitInfo.GetCompiledMethodCount();
        long acknowledged = 0, errors = 0;
        var settled = false;
        while (!settled && clock.Elapsed < limit)
        {
            var jitBefore = JitInfo.GetCompilationTime();
            var slice = await load.RunForAsync(Slice, cancel);
            acknowledged += slice.Acknowledged;
            errors += slice.Errors;
            settled = IsSettled(JitInfo.GetCompilationTime() - jitBefore, slice.Elapsed);
        }

        return new SettleOutcome(
            settled, clock.Elapsed, acknowledged, errors, JitInfo.GetCompilationTime() - jitAtStart, JitInfo.GetCompiledMethodCount() - methodsAtStart);
    }
}

/// <summary>How the JIT warm-up ended: settled or not, how long it took, the uploads it sent, and the JIT work it saw.</summary>
internal sealed record SettleOutcome(bool Settled, TimeSpan Elapsed, long Acknowledged, long Errors, TimeSpan JitTime, long MethodsCompiled);
