using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Where tensors live: CUDA when libtorch reports a device (a GPU build, see README "GPU build"),
/// otherwise the CPU. <c>ANOMALYNCD_DEVICE=cpu</c> forces the CPU.
/// </summary>
public static class ComputeDevice
{
    private static readonly Lazy<Device> Selected = new(() =>
        Environment.GetEnvironmentVariable("ANOMALYNCD_DEVICE") is not "cpu" && cuda.is_available() ? CUDA : CPU);

    public static Device Default => Selected.Value;

    public static string Describe() => Default.type == TorchSharp.DeviceType.CUDA ? $"cuda ({cuda.device_count()} device(s))" : "cpu";
}
