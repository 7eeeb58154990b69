using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AnomalyNcd.Grains.Placement;

/// <summary>Silo set-up for <see cref="AcceleratorPlacementAttribute"/> grains.</summary>
public static class AcceleratorPlacementHostingExtensions
{
    /// <summary>
    /// Publishes silo metadata <c>hardware.accelerator</c> (the override in <paramref name="options"/>, else
    /// configuration <c>Orleans:Metadata:hardware.accelerator</c>, else <see cref="AcceleratorDetector.Detect"/>)
    /// together with the rest of the <c>Orleans:Metadata</c> section, and registers the accelerator placement
    /// director. It calls <c>UseSiloMetadata</c> itself, so the host must not call it as well.
    /// </summary>
    public static ISiloBuilder AddAcceleratorPlacement(this ISiloBuilder builder, AcceleratorPlacementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (builder.Services.Any(service => service.ServiceType == typeof(ISiloMetadataCache)))
        {
            throw new InvalidOperationException(
                "AddAcceleratorPlacement publishes the silo metadata itself; remove the separate UseSiloMetadata call.");
        }

        var section = builder.Configuration.GetSection("Orleans").GetSection("Metadata");
        // Configuration keys are case-insensitive; the published key must be spelled exactly as placement reads it.
        var metadata = new Dictionary<string, string>(section.Get<Dictionary<string, string>>() ?? [], StringComparer.OrdinalIgnoreCase);
        var accelerator = options.Accelerator is { } forced
            ? AcceleratorKinds.Normalize(forced, "AcceleratorPlacementOptions.Accelerator")
            : metadata.TryGetValue(AcceleratorKinds.MetadataKey, out var configured)
                ? AcceleratorKinds.Normalize(configured, $"configuration Orleans:Metadata:{AcceleratorKinds.MetadataKey}")
                : AcceleratorDetector.Detect();
        metadata.Remove(AcceleratorKinds.MetadataKey);
        metadata.Add(AcceleratorKinds.MetadataKey, accelerator);

        builder.UseSiloMetadata(metadata);
        builder.Services.AddSingleton(new AcceleratorSiloSettings(accelerator, options.AllowCpuFallback));
        builder.AddPlacementDirector<AcceleratorPlacementStrategy, AcceleratorPlacementDirector>();
        return builder;
    }
}
