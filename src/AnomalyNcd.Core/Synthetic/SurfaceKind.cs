namespace AnomalyNcd.Core.Synthetic;

/// <summary>Procedural surface textures, one per product line.</summary>
public enum SurfaceKind
{
    /// <summary>Long directional streaks with fine grain.</summary>
    BrushedMetal,

    /// <summary>Plain weave of threads with per-thread brightness variation.</summary>
    WovenTextile,

    /// <summary>Smooth mottled glaze with scattered small specks.</summary>
    SpeckledCeramic,

    /// <summary>Distorted growth rings with fine fibres.</summary>
    WoodGrain,
}
