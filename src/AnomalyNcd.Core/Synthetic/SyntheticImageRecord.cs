using AnomalyNcd.Core.Datasets;

namespace AnomalyNcd.Core.Synthetic;

/// <summary>One written image: its manifest row plus the defects painted into it.</summary>
public sealed record SyntheticImageRecord(ManifestRow Row, IReadOnlyList<SyntheticDefect> Defects);
