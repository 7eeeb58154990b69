using AnomalyNcd.Contracts;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// The explicit promotion of one of a line's versions (models, detectors): the version must exist; it is stamped with
/// who and when, and becomes the promoted one. What was promoted before is returned for the audit log.
/// </summary>
public static class VersionPromotion
{
    /// <param name="versions">The line's versions; the promoted one is replaced by its stamped copy.</param>
    /// <param name="isVersion">Whether an entry is the version to promote.</param>
    /// <param name="stamp">The entry with who promoted it and when.</param>
    /// <param name="promoted">The line's promoted version id, set to <paramref name="version"/>.</param>
    public static (T Promoted, string Before) Promote<T>(
        List<T> versions, string version, Predicate<T> isVersion, Func<T, T> stamp, ref string? promoted, string notFound)
    {
        var index = versions.FindIndex(isVersion);
        if (index < 0)
        {
            throw RequestRejectedException.NotFound(notFound);
        }

        var before = promoted ?? string.Empty;
        versions[index] = stamp(versions[index]);
        promoted = version;
        return (versions[index], before);
    }
}
