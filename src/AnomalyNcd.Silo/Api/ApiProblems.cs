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
}
