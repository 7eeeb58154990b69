namespace AnomalyNcd.Grains;

/// <summary>Where the grains keep what does not belong in grain state (artefacts live under <c>DataFolder/artefacts</c>).</summary>
public sealed class GrainsOptions
{
    public string DataFolder { get; set; } = string.Empty;

    public string ArtefactFolder => Path.Combine(DataFolder, "artefacts");

    /// <summary>Most bytes the artefact store may hold before uploads are refused (507); null = no quota.</summary>
    public long? ArtefactQuotaBytes { get; set; }
}
