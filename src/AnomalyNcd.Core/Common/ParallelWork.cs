namespace AnomalyNcd.Core.Common;

/// <summary>
/// Runs independent per-item work on all cores and reports progress. Bad input found by any item
/// surfaces as itself — the first one in item order, not an AggregateException — so that a command
/// prints one clear line naming the file, whatever the thread timing.
/// </summary>
public static class ParallelWork
{
    public static T[] Map<T>(
        int count,
        Func<int, T> work,
        string stage,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default,
        int maxDegreeOfParallelism = -1)
    {
        var results = new T[count];
        var errors = new InvalidInputException?[count];
        var done = 0;
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, count, options, i =>
        {
            try
            {
                results[i] = work(i);
            }
            catch (InvalidInputException ex)
            {
                errors[i] = ex;
            }

            progress?.Report(new ProgressUpdate(stage, Interlocked.Increment(ref done), count));
        });

        var first = errors.FirstOrDefault(e => e is not null);
        return first is null ? results : throw first;
    }
}
