namespace AnomalyNcd.Contracts;

/// <summary>
/// The page rule of every paged list (a line's images, its audit log): newest first, <c>skip</c> items left out,
/// at most <see cref="MaxTake"/> returned, so one call never answers with an unbounded list.
/// </summary>
public static class PageLimits
{
    public const int MaxTake = 500;

    /// <summary>Null when the page may be asked for, else a message naming both fields and the limit.</summary>
    public static string? Problem(int skip, int take) =>
        skip < 0 || take < 0 || take > MaxTake
            ? $"page skip={skip}, take={take} is out of range (skip ≥ 0, 0 ≤ take ≤ {MaxTake})"
            : null;
}
