using AnomalyNcd.Core.Detection;

namespace AnomalyNcd.Grains.Detection;

/// <summary>Where detector jobs work and unpack detectors, and how a line's detector is fitted.</summary>
public sealed class DetectorGrainOptions
{
    /// <summary>Data folder; fitting works in <c>DataFolder/detectors/work/</c>, scoring unpacks into <c>DataFolder/detectors/&lt;sha256&gt;/</c>.</summary>
    public string DataFolder { get; set; } = Path.Combine(Path.GetTempPath(), "anomalyncd");

    /// <summary>Core's PatchCore settings (its defaults: int8 backbone, 1 % coreset), as <c>anomalyncd detect fit</c> uses them.</summary>
    public PatchCoreOptions Fit { get; set; } = new();

    /// <summary>Period of the reminder that re-activates a running job's grain after a silo loss.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
