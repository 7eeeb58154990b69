namespace AnomalyNcd.Core.Discovery;

/// <summary>What discovery does with a labelled base set (<c>discover --base</c>).</summary>
public enum BaseSetUse
{
    /// <summary>Trains with it only when its crops mix with the crops to discover (<see cref="BaseSetRelevance"/>).</summary>
    Auto,

    /// <summary>Always trains with it (the reference).</summary>
    Always,
}
