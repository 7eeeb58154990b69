using AnomalyNcd.Core.Model;
using AnomalyNcd.Grains.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace AnomalyNcd.Grains.Tests.Placement;

public sealed class AcceleratorPlacementHostingTests
{
    [Fact]
    public void OptionOverride_WinsOverConfigurationAndKeepsOtherMetadata()
    {
        var metadata = PublishedMetadata(
            new AcceleratorPlacementOptions { Accelerator = "CUDA" },
            ("Orleans:Metadata:hardware.accelerator", "cpu"), ("Orleans:Metadata:zone", "hall-3"));

        Assert.Equal(AcceleratorKinds.Cuda, metadata[AcceleratorKinds.MetadataKey]);
        Assert.Equal("hall-3", metadata["zone"]);
    }

    [Fact]
    public void ConfigurationValue_IsUsedWhenThereIsNoOverride()
    {
        var metadata = PublishedMetadata(new AcceleratorPlacementOptions(), ("Orleans:Metadata:Hardware.Accelerator", "Cuda"));

        Assert.Equal(AcceleratorKinds.Cuda, metadata[AcceleratorKinds.MetadataKey]);
        Assert.DoesNotContain("Hardware.Accelerator", metadata.Keys);
    }

    [Fact]
    public void NoOverrideAndNoConfiguration_PublishesTheDetectedAccelerator()
    {
        var metadata = PublishedMetadata(new AcceleratorPlacementOptions());

        var expected = ComputeDevice.Default.type == TorchSharp.DeviceType.CUDA ? AcceleratorKinds.Cuda : AcceleratorKinds.Cpu;
        Assert.Equal(expected, AcceleratorDetector.Detect());
        Assert.Equal(expected, metadata[AcceleratorKinds.MetadataKey]);
    }

    [Fact]
    public void UnknownAccelerator_IsRejectedWithItsSource()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            PublishedMetadata(new AcceleratorPlacementOptions(), ("Orleans:Metadata:hardware.accelerator", "tpu")));

        Assert.Contains("Orleans:Metadata:hardware.accelerator", error.Message);
        Assert.Contains("'tpu'", error.Message);
    }

    [Fact]
    public void SeparateUseSiloMetadata_IsRejected()
    {
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.UseSiloMetadata();
            silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions { Accelerator = AcceleratorKinds.Cpu });
        }));

        Assert.Contains("UseSiloMetadata", error.Message);
    }

    private static IReadOnlyDictionary<string, string> PublishedMetadata(
        AcceleratorPlacementOptions options, params (string Key, string Value)[] configuration)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration.Select(c => KeyValuePair.Create(c.Key, (string?)c.Value)));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddAcceleratorPlacement(options);
        });
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;
    }
}
