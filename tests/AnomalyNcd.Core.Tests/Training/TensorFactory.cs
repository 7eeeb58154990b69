using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Training;

internal static class TensorFactory
{
    public static Tensor Matrix(double[][] rows)
    {
        var flat = rows.SelectMany(r => r).ToArray();
        return tensor(flat, new long[] { rows.Length, rows[0].Length }, dtype: ScalarType.Float64);
    }

    public static Tensor Labels(params long[] labels) => tensor(labels, dtype: ScalarType.Int64);
}
