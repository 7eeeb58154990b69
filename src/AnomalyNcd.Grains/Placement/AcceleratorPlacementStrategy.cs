namespace AnomalyNcd.Grains.Placement;

/// <summary>Placement on silos that advertise <c>hardware.accelerator=cuda</c>; see <see cref="AcceleratorPlacementDirector"/>.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class AcceleratorPlacementStrategy : PlacementStrategy
{
    internal static readonly AcceleratorPlacementStrategy Instance = new();
}
