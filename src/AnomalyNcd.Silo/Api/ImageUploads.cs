using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Silo.Ingest;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AnomalyNcd.Silo.Api;

/// <summary>What the upload handlers take from the host's services (bound by the endpoint, <c>[AsParameters]</c>).</summary>
internal readonly record struct UploadServices(ImageIngest Ingest, NormalImageIngest Normals, UploadRateLimiting RateLimiting);

/// <summary>The HTTP side of ingest results: a refusal as its problem response, an outcome as a batch entry.</summary>
internal static class UploadAnswers
{
    /// <summary>The problem details of a refusal, with the status its kind stands for.</summary>
    public static IResult ToProblem(this UploadRefusal refusal) => refusal.Kind switch
    {
        UploadRefusalKind.BadRequest => ApiProblems.BadRequest(refusal.Detail),
        UploadRefusalKind.NotFound => ApiProblems.NotFound(refusal.Detail),
        UploadRefusalKind.Conflict => ApiProblems.Conflict(refusal.Detail),
        UploadRefusalKind.NotReady => ApiProblems.Problem(StatusCodes.Status409Conflict, "Not ready", refusal.Detail),
        UploadRefusalKind.TooLarge => ApiProblems.TooLarge(refusal.Detail),
        UploadRefusalKind.UnsupportedMediaType => ApiProblems.UnsupportedMediaType(refusal.Detail),
        _ => ApiProblems.Unprocessable(refusal.Detail),
    };

    public static ImageBatchItem ToItem(this UploadOutcome outcome, int index, UploadItem item) =>
        outcome.Refusal is null
            ? new ImageBatchItem(index, item.FileName, item.ImageId, outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, outcome.Result, null)
            : Refused(outcome.Refusal, index, item);

    /// <summary>A batch entry for an image kept as a normal image of the line (its ground truth named it so).</summary>
    public static ImageBatchItem ToItem((NormalImageKept? Kept, UploadRefusal? Refusal) outcome, int index, UploadItem item) =>
        outcome.Refusal is null
            ? new ImageBatchItem(index, item.FileName, item.ImageId, outcome.Kept!.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, null, null, outcome.Kept)
            : Refused(outcome.Refusal, index, item);

    private static ImageBatchItem Refused(UploadRefusal refusal, int index, UploadItem item)
    {
        // Every refusal here is built by ApiProblems (Results.Problem), so it carries its problem details.
        var details = refusal.ToProblem() is ProblemHttpResult problem
            ? problem.ProblemDetails
            : new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Refused", Detail = "refused" };
        return new ImageBatchItem(index, item.FileName, item.ImageId, details.Status ?? StatusCodes.Status500InternalServerError, null, details);
    }
}

/// <summary>The answer to a batched upload: counts, then one entry per image in the order sent.</summary>
public sealed record ImageBatchResult(int Created, int AlreadyStored, int Refused, ImageBatchItem[] Items);

/// <summary>
/// One image of a batched upload: <paramref name="Status"/> is what a single upload would have answered (201 new, 200
/// already stored, otherwise the problem's status), with the result or the RFC 7807 problem details; an image the
/// line's settings mark as normal by its ground truth is answered with <paramref name="Normal"/> instead of a result.
/// </summary>
public sealed record ImageBatchItem(int Index, string FileName, string Id, int Status, ImageResult? Image, ProblemDetails? Problem, NormalImageKept? Normal = null);
