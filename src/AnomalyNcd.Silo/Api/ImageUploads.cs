using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AnomalyNcd.Silo.Api;

/// <summary>What the upload handlers take from the host's services (bound by the endpoint, <c>[AsParameters]</c>).</summary>
internal readonly record struct UploadServices(IArtefactStore Store, DecodedUploads DecodedUploads, AnomalyNcdServerOptions Options, UploadRateLimiting RateLimiting);

/// <summary>One image of an upload request with its optional map, id and ground-truth class.</summary>
internal sealed record UploadItem(IFormFile Image, IFormFile? Map, string? Id, string? GroundTruth);

/// <summary>How one upload ended: stored (new or already there) with its result, or refused with a problem and nothing stored.</summary>
internal sealed record UploadOutcome(ImageResult? Result, bool Created, IResult? Problem)
{
    public static UploadOutcome Stored(ImageResult result, bool created) => new(result, created, null);

    public static UploadOutcome Refused(IResult problem) => new(null, false, problem);

    public ImageBatchItem ToItem(int index, string fileName, string id)
    {
        if (Problem is null)
        {
            return new ImageBatchItem(index, fileName, id, Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, Result, null);
        }

        // Every refusal here is built by ApiProblems (Results.Problem), so it carries its problem details.
        var details = Problem is ProblemHttpResult problem
            ? problem.ProblemDetails
            : new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Refused", Detail = "refused" };
        return new ImageBatchItem(index, fileName, id, details.Status ?? StatusCodes.Status500InternalServerError, null, details);
    }
}

/// <summary>The answer to a batched upload: counts, then one entry per image in the order sent.</summary>
public sealed record ImageBatchResult(int Created, int AlreadyStored, int Refused, ImageBatchItem[] Items);

/// <summary>
/// One image of a batched upload: <paramref name="Status"/> is what a single upload would have answered (201 new, 200
/// already stored, otherwise the problem's status), with the result or the RFC 7807 problem details.
/// </summary>
public sealed record ImageBatchItem(int Index, string FileName, string Id, int Status, ImageResult? Image, ProblemDetails? Problem);
