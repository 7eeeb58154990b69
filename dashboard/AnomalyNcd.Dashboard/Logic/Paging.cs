namespace AnomalyNcd.Dashboard.Logic;

/// <summary>One page of a list (pages count from 1, as MudPagination does).</summary>
public static class Paging
{
    public static int PageCount(int itemCount, int pageSize) =>
        itemCount <= 0 ? 1 : (itemCount + pageSize - 1) / pageSize;

    public static IReadOnlyList<T> Page<T>(IReadOnlyList<T> items, int page, int pageSize)
    {
        var clamped = Math.Clamp(page, 1, PageCount(items.Count, pageSize));
        return items.Skip((clamped - 1) * pageSize).Take(pageSize).ToList();
    }
}
