using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>
/// What the operator has ticked in the review queue and where the keyboard cursor is (j/k move, x ticks).
/// Keys of regions that left the queue are dropped by <see cref="Retain"/>, so a bulk action never reaches them twice.
/// </summary>
public sealed class ReviewSelection
{
    private readonly HashSet<RegionKey> selected = [];

    public IReadOnlyCollection<RegionKey> Selected => selected;

    /// <summary>Index of the focused row within the current page (0 when the page has rows).</summary>
    public int Cursor { get; private set; }

    public bool IsSelected(RegionKey key) => selected.Contains(key);

    public void Toggle(RegionKey key)
    {
        if (!selected.Remove(key))
        {
            selected.Add(key);
        }
    }

    /// <summary>Ticks every row of the page, or clears them all when every row was already ticked.</summary>
    public void ToggleAll(IReadOnlyList<RegionKey> page)
    {
        if (page.Count > 0 && page.All(selected.Contains))
        {
            selected.ExceptWith(page);
        }
        else
        {
            selected.UnionWith(page);
        }
    }

    public bool AllSelected(IReadOnlyList<RegionKey> page) => page.Count > 0 && page.All(selected.Contains);

    public void Clear() => selected.Clear();

    /// <summary>Moves the cursor by <paramref name="delta"/> rows, kept within a page of <paramref name="rows"/> rows.</summary>
    public void Move(int delta, int rows) => Cursor = rows <= 0 ? 0 : Math.Clamp(Cursor + delta, 0, rows - 1);

    public void ResetCursor() => Cursor = 0;

    /// <summary>Keeps only keys still in <paramref name="queue"/> and the cursor within <paramref name="rows"/>.</summary>
    public void Retain(IEnumerable<RegionKey> queue, int rows)
    {
        selected.IntersectWith(queue);
        Move(0, rows);
    }

    /// <summary>The regions an action applies to: the ticked ones, else the one under the cursor (none on an empty page).</summary>
    public IReadOnlyList<RegionKey> Targets(IReadOnlyList<RegionKey> page) =>
        selected.Count > 0 ? page.Where(selected.Contains).Concat(selected.Except(page)).ToList()
        : page.Count > 0 ? [page[Math.Clamp(Cursor, 0, page.Count - 1)]]
        : [];
}

/// <summary>The review page's keyboard shortcuts, in one place for the handler and the help line.</summary>
public enum ReviewKey
{
    None,
    Confirm,
    Reject,
    Down,
    Up,
    Select,
}

public static class ReviewShortcuts
{
    public static IReadOnlyList<(string Key, string Does)> Help { get; } =
    [
        ("c", "confirm the class"), ("r", "reject: not a defect"), ("j", "next row"), ("k", "previous row"), ("x", "tick / untick the row"),
    ];

    public static ReviewKey Of(string key) => key switch
    {
        "c" or "C" => ReviewKey.Confirm,
        "r" or "R" => ReviewKey.Reject,
        "j" or "J" or "ArrowDown" => ReviewKey.Down,
        "k" or "K" or "ArrowUp" => ReviewKey.Up,
        "x" or "X" or " " => ReviewKey.Select,
        _ => ReviewKey.None,
    };
}
