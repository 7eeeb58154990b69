using AnomalyNcd.Contracts.Regions;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>What the split dialog returns: the regions to move out of a class and the new class's name.</summary>
public sealed record SplitSelection(RegionKey[] Regions, string Name);
