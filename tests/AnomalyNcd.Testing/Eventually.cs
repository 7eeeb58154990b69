using System.Diagnostics;

namespace AnomalyNcd.Testing;

/// <summary>
/// Polling for an outcome that a test cannot await directly (a grain reaching a state, a process becoming healthy):
/// the one loop the tests share, so every wait has a deadline and says what it waited for when it gives up.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value and returns that value. A probe
    /// that throws an exception <paramref name="transient"/> accepts counts as "not yet"; any other exception ends the
    /// wait at once.
    /// </summary>
    /// <exception cref="TimeoutException">Not done within <paramref name="timeout"/>; the message names <paramref name="what"/> and the last value or failure.</exception>
    public static async Task<T> Until<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        TimeSpan? interval = null,
        Func<Exception, bool>? transient = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        var last = "nothing yet";
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                last = $"{value}";
            }
            catch (Exception failure) when (transient?.Invoke(failure) == true)
            {
                last = $"{failure.GetType().Name}: {failure.Message}";
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout} (last: {last})");
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>.</exception>
    public static Task True(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Until(() => Task.FromResult(condition()), holds => holds, timeout, what, interval, cancellationToken: cancellationToken);
}
