using AnomalyNcd.Contracts;
using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Silo.Ingest;

/// <summary>Why an upload was refused with nothing stored; the API answers each kind with one status.</summary>
public enum UploadRefusalKind
{
    /// <summary>A malformed request: bad line or image id, bad class name, missing or unpaired form parts (400).</summary>
    BadRequest,

    /// <summary>The line does not exist, or a grain found nothing (404).</summary>
    NotFound,

    /// <summary>The id is taken by other bytes, or used twice in one batch (409).</summary>
    Conflict,

    /// <summary>The line cannot take images yet, e.g. it has no map calibration, or no promoted detector for an image without a map (409).</summary>
    NotReady,

    /// <summary>The request or the image exceeds a limit (413).</summary>
    TooLarge,

    /// <summary>Not an image or map file this platform reads (415).</summary>
    UnsupportedMediaType,

    /// <summary>Files that read but cannot be used, e.g. a map that does not fit its image (422).</summary>
    Unprocessable,
}

/// <summary>A refused upload: its kind and a detail that names the problem (and the file, where there is one).</summary>
public sealed record UploadRefusal(UploadRefusalKind Kind, string Detail)
{
    /// <summary>The tag value of the kind in the rejection counter (e.g. <c>unsupported-media-type</c>).</summary>
    public string Tag => Tags[(int)Kind];

    private static readonly string[] Tags =
        [.. Enum.GetValues<UploadRefusalKind>().Select(k => string.Concat(k.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())))];

    public static UploadRefusal BadRequest(string detail) => new(UploadRefusalKind.BadRequest, detail);

    public static UploadRefusal NotFound(string detail) => new(UploadRefusalKind.NotFound, detail);

    public static UploadRefusal Conflict(string detail) => new(UploadRefusalKind.Conflict, detail);

    public static UploadRefusal NotReady(string detail) => new(UploadRefusalKind.NotReady, detail);

    public static UploadRefusal TooLarge(string detail) => new(UploadRefusalKind.TooLarge, detail);

    public static UploadRefusal UnsupportedMediaType(string detail) => new(UploadRefusalKind.UnsupportedMediaType, detail);

    public static UploadRefusal Unprocessable(string detail) => new(UploadRefusalKind.Unprocessable, detail);

    /// <summary>A grain's refusal, by its kind (as the API's problem filter maps it).</summary>
    public static UploadRefusal From(RequestRejectedException rejection)
    {
        var detail = string.IsNullOrEmpty(rejection.Detail) ? rejection.Message : rejection.Detail;
        return rejection.Kind switch
        {
            RejectionKind.NotFound => NotFound(detail),
            RejectionKind.Conflict => Conflict(detail),
            RejectionKind.NotReady => NotReady(detail),
            RejectionKind.TooLarge => TooLarge(detail),
            _ => Unprocessable(detail),
        };
    }

    /// <summary>Bad input found by a Core reader.</summary>
    public static UploadRefusal From(InvalidInputException invalid) => Unprocessable(invalid.Message);
}
