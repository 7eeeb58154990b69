namespace AnomalyNcd.Contracts;

/// <summary>
/// The one exception grains throw for a request they refuse on purpose (as opposed to a fault):
/// it crosses the silo boundary intact, and the API turns it into RFC 7807 problem details.
/// </summary>
[GenerateSerializer, Alias("anomalyncd.RequestRejectedException")]
public sealed class RequestRejectedException : Exception
{
    public RequestRejectedException(RejectionKind kind, string message)
        : base(message)
    {
        Kind = kind;
        Detail = message;
    }

    [Id(0)]
    public RejectionKind Kind { get; init; }

    /// <summary>The message again as a serialised field, so it survives the trip between silos.</summary>
    [Id(1)]
    public string Detail { get; init; }

    public static RequestRejectedException NotFound(string message) => new(RejectionKind.NotFound, message);

    public static RequestRejectedException Invalid(string message) => new(RejectionKind.Invalid, message);

    public static RequestRejectedException Conflict(string message) => new(RejectionKind.Conflict, message);

    public static RequestRejectedException NotReady(string message) => new(RejectionKind.NotReady, message);
}
