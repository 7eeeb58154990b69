using System.Data.Common;
using System.Net.Sockets;
using AnomalyNcd.Grains.Artefacts;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace AnomalyNcd.Silo.Api;

/// <summary>
/// Sorts faults that are not the request's fault into the two the API answers cleanly instead of with 500: storage
/// or a silo briefly unreachable (503, retry later) and a full artefact store or disk (507). Looks through the whole
/// chain of inner exceptions, since Orleans and the storage provider wrap the original, and by type name where a
/// fault crossed a silo boundary as <see cref="UnavailableExceptionFallbackException"/> (its type unknown there).
/// </summary>
internal static class FaultClassifier
{
    private const int MaxDepth = 16;

    /// <summary>The database, a silo or a grain call is briefly unavailable: the same request can succeed later.</summary>
    public static bool IsTransient(Exception exception) => Chain(exception).Any(IsTransientOne);

    /// <summary>The artefact store's quota is used up or the disk is full.</summary>
    public static bool IsStoreFull(Exception exception) => Chain(exception).Any(one =>
        ArtefactStoreFullException.IsDiskFull(one)
        || (one is UnavailableExceptionFallbackException fallback && (fallback.ExceptionType ?? "").Contains(nameof(ArtefactStoreFullException), StringComparison.Ordinal)));

    private static bool IsTransientOne(Exception exception) => exception switch
    {
        // Concurrency conflicts are storage errors too, but they need a re-read, not a wait: left to the 500 path.
        InconsistentStateException => false,
        DbException database => database.IsTransient || database.GetType().FullName!.StartsWith("Npgsql.", StringComparison.Ordinal),
        SocketException or TimeoutException => true,
        SiloUnavailableException or OrleansMessageRejectionException => true,
        UnavailableExceptionFallbackException fallback => IsStorageTypeName(fallback.ExceptionType ?? ""),
        // A silo could not send a storage fault back (no codec for Npgsql's exceptions): the message names the type.
        CodecNotFoundException codec => codec.Message.Contains("Npgsql.", StringComparison.Ordinal) || codec.Message.Contains("Sqlite", StringComparison.Ordinal),
        _ => IsStorageTypeName(exception.GetType().FullName ?? ""),
    };

    /// <summary>The first line of the message, shortened: enough to say what failed without a stack trace in the answer.</summary>
    public static string Summary(Exception exception)
    {
        const int MaxLength = 200;
        var line = exception.Message.Split('\n', 2)[0].Trim();
        return $"{exception.GetType().Name}: {(line.Length > MaxLength ? line[..MaxLength] + "…" : line)}";
    }

    private static bool IsStorageTypeName(string typeName) =>
        typeName.StartsWith("Npgsql.", StringComparison.Ordinal)
        || typeName.Contains("Sqlite", StringComparison.Ordinal)
        || typeName.EndsWith(".SocketException", StringComparison.Ordinal)
        || typeName.EndsWith(".TimeoutException", StringComparison.Ordinal)
        || typeName.EndsWith(".SiloUnavailableException", StringComparison.Ordinal);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<(Exception Exception, int Depth)>();
        pending.Push((exception, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            yield return current;
            if (depth >= MaxDepth)
            {
                continue;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push((inner, depth + 1));
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push((inner, depth + 1));
            }
        }
    }
}
