using Orleans.Placement;

namespace AnomalyNcd.Grains.Placement;

/// <summary>
/// Places the grain's activations only on silos whose metadata says <c>hardware.accelerator=cuda</c>
/// (or, with <see cref="AcceleratorPlacementOptions.AllowCpuFallback"/>, on any silo when the cluster has none).
/// Every silo must be built with <see cref="AcceleratorPlacementHostingExtensions.AddAcceleratorPlacement"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AcceleratorPlacementAttribute() : PlacementAttribute(AcceleratorPlacementStrategy.Instance);
