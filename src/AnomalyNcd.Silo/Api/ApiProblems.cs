using AnomalyNcd.Contracts;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Silo.Api;

/// <summary>RFC 7807 responses for requests the API or a grain refuses; <c>detail</c> always names the problem.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Malformed request", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Unprocessable(string detail) => Problem(StatusCodes.Status422UnprocessableEntity, "Invalid input", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult TooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "Too large", detail);

    public static IResult UnsupportedMediaType(string detail) => Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported file", detail);

    /// <summary>Seconds a client is told to wait before retrying a 503.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>503 with <c>Retry-After</c>: the database or a silo is briefly unreachable; the same request can succeed later.</summary>
    public static IResult Unavailable(string detail) =>
        new WithRetryAfter(Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail), RetryAfterSeconds);

    /// <summary>507: the artefact store's quota is used up or its disk is full; nothing of the request was kept.</summary>
    public static IResult InsufficientStorage(string detail) =>
        Problem(StatusCodes.Status507InsufficientStorage, "Insufficient storage", detail);

    public static IResult FromRejection(RequestRejectedException rejection)
    {
        var detail = string.IsNullOrEmpty(rejection.Detail) ? rejection.Message : rejection.Detail;
        return rejection.Kind switch
        {
            RejectionKind.NotFound => NotFound(detail),
            RejectionKind.Conflict => Conflict(detail),
            RejectionKind.NotReady => Problem(StatusCodes.Status409Conflict, "Not ready", detail),
            RejectionKind.TooLarge => TooLarge(detail),
            _ => Unprocessable(detail),
        };
    }

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>Adds <c>Retry-After</c> to another result.</summary>
    private sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
