using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core;

/// <summary>
/// Tensor arithmetic with numbers that keeps every TorchSharp <see cref="Scalar"/> reachable until its native call
/// has returned. TorchSharp 0.107 turns each number, and the hidden alpha = 1 of <c>add</c>, into a Scalar whose
/// finalizer frees the native value, and nothing keeps that Scalar alive during the call: a garbage collection
/// started by another thread (a silo ingesting while it trains) can free it mid-call, which fails with "Expected
/// false to be true" from c10's Scalar::toDouble or, worse, reads another value. Core calls these instead of
/// <c>tensor + tensor</c>, <c>tensor * 0.5</c> and the like; <c>HeldScalarsTests</c> scans Core's IL for the racy forms.
/// </summary>
public static class HeldScalars
{
    /// <summary>The alpha of every addition: static, so reachable (never finalised) for the life of the process.</summary>
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>left + right.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary>tensor + number.</summary>
    public static Tensor Plus(this Tensor tensor, double number) =>
        With(number, held => tensor.add(held, One));

    /// <summary>left − right (TorchSharp's sub of two tensors passes no Scalar).</summary>
    public static Tensor Minus(this Tensor left, Tensor right) => left.sub(right);

    /// <summary>1 − tensor.</summary>
    public static Tensor OneMinus(this Tensor tensor) => tensor.neg().add(One, One);

    /// <summary>tensor · number.</summary>
    public static Tensor Times(this Tensor tensor, double number) =>
        With(number, held => tensor.mul(held));

    /// <summary>tensor / number.</summary>
    public static Tensor DividedBy(this Tensor tensor, double number) =>
        With(number, held => tensor.div(held));

    /// <summary>tensor with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor FilledWhere(this Tensor tensor, Tensor mask, double value) =>
        With(value, held => tensor.masked_fill(mask, held));

    /// <summary>Bool: tensor ≥ number.</summary>
    public static Tensor AtLeastMask(this Tensor tensor, double number) =>
        With(number, held => tensor.ge(held));

    /// <summary>Bool: tensor &gt; number.</summary>
    public static Tensor AboveMask(this Tensor tensor, double number) =>
        With(number, held => tensor.gt(held));

    /// <summary>max(tensor, minimum).</summary>
    public static Tensor AtLeast(this Tensor tensor, double minimum) =>
        With(minimum, held => tensor.clamp_min(held));

    /// <summary>Clamps in place to [minimum, maximum].</summary>
    public static Tensor ClampInPlace(this Tensor tensor, double minimum, double maximum)
    {
        using var low = minimum.ToScalar();
        using var high = maximum.ToScalar();
        return tensor.clamp_(low, high);
    }

    /// <summary>Runs <paramref name="call"/> with <paramref name="number"/> as a Scalar that stays reachable until the call has returned.</summary>
    private static Tensor With(double number, Func<Scalar, Tensor> call)
    {
        using var held = number.ToScalar();
        return call(held);
    }

    /// <summary>A 1-D int64 tensor of <paramref name="count"/> copies of <paramref name="value"/>, built from managed memory.</summary>
    public static Tensor Repeated(long value, long count, Device device) =>
        tensor(Enumerable.Repeat(value, checked((int)count)).ToArray(), device: device);

    /// <summary>The int64 range start, start + 1, …, end − 1, built from managed memory.</summary>
    public static Tensor Range(long start, long end, Device device)
    {
        var values = new long[end - start];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = start + i;
        }

        return tensor(values, device: device);
    }
}
