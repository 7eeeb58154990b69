using AnomalyNcd.Core.Model;

namespace AnomalyNcd.Grains.Placement;

/// <summary>Finds out which accelerator this process can use, in the terms of <see cref="AcceleratorKinds"/>.</summary>
public static class AcceleratorDetector
{
    /// <summary>
    /// <c>cuda</c> when TorchSharp reports a CUDA device (and <c>ANOMALYNCD_DEVICE=cpu</c> does not force the
    /// CPU, see <see cref="ComputeDevice"/>), otherwise <c>cpu</c>.
    /// </summary>
    public static string Detect()
    {
        try
        {
            return ComputeDevice.Default.type == TorchSharp.DeviceType.CUDA ? AcceleratorKinds.Cuda : AcceleratorKinds.Cpu;
        }
        catch (TypeInitializationException)
        {
            // libtorch could not be loaded: nothing here can use an accelerator, so the silo is a CPU silo.
            return AcceleratorKinds.Cpu;
        }
        catch (DllNotFoundException)
        {
            return AcceleratorKinds.Cpu;
        }
    }
}
