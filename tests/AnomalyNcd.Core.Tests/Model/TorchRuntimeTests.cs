using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Model;

public class TorchRuntimeTests
{
    [Fact]
    public void LibTorch_LoadsAndComputesOnCpu()
    {
        using var scope = NewDisposeScope();
        var a = arange(6, dtype: float32).reshape(2, 3);
        var product = matmul(a, a.t());
        Assert.Equal(new[] { 5f, 14f, 14f, 50f }, product.data<float>().ToArray());
    }
}
