using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Grains.Artefacts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace AnomalyNcd.Silo.Api;

/// <summary>Serves stored images, maps and crops by their SHA-256 (validated hex only, so no path can be smuggled in).</summary>
internal static class ArtefactEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/artefacts/{sha256}", Get)
            .WithTags("Artefacts")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static IResult Get(string sha256, IArtefactStore store)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            return ApiProblems.BadRequest($"'{sha256}' is not a SHA-256 digest (64 hexadecimal digits)");
        }

        var hash = sha256.ToLowerInvariant();
        // The store names files hash.extension; any extension will do to learn the folder.
        var folder = Path.GetDirectoryName(store.PathOf(new ArtefactRef(hash, "any", "bin", 0)))!;
        var file = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, hash[2..] + ".*").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (file is null)
        {
            return ApiProblems.NotFound($"no artefact with sha256 {hash}");
        }

        var contentType = ContentTypes.TryGetContentType(file, out var known) ? known : "application/octet-stream";
        return Results.File(file, contentType, enableRangeProcessing: true);
    }
}
