using AnomalyNcd.Contracts.Images;
using Microsoft.AspNetCore.Http;

namespace AnomalyNcd.Silo.Ingest;

/// <summary>One image of an upload request with its optional map, id and ground-truth class.</summary>
internal sealed record UploadItem(IFormFile Image, IFormFile? Map, string? Id, string? GroundTruth)
{
    /// <summary>The image's file name without any folder part.</summary>
    public string FileName => UploadValidator.SafeName(Image.FileName, "image");

    /// <summary>The given id, else the image's file stem.</summary>
    public string ImageId => Id ?? Path.GetFileNameWithoutExtension(FileName);
}

/// <summary>The parts of a batch form, each in the order sent (ids and ground truths already trimmed, blank as null).</summary>
internal sealed record BatchParts(IReadOnlyList<IFormFile> Images, IReadOnlyList<IFormFile> Maps, IReadOnlyList<string?> Ids, IReadOnlyList<string?> GroundTruths);

/// <summary>How one upload ended: stored (new or already there) with its result, or refused with nothing stored.</summary>
internal sealed record UploadOutcome(ImageResult? Result, bool Created, UploadRefusal? Refusal)
{
    public static UploadOutcome Stored(ImageResult result, bool created) => new(result, created, null);

    public static UploadOutcome Refused(UploadRefusal refusal) => new(null, false, refusal);
}
