using System.Reflection;
using System.Reflection.Emit;
using AnomalyNcd.Core.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Tests.Common;

/// <summary>
/// Core must hand TorchSharp no Scalar that only TorchSharp's finalizer keeps: no implicit number-to-Scalar
/// conversion, and no TorchSharp method that makes one inside (tensor + tensor passes a temporary alpha). The IL of
/// every Core method is read and its calls checked against the TorchSharp methods that create such Scalars.
/// </summary>
public class HeldScalarsTests
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Lazy<HashSet<MethodBase>> ScalarCreators = new(FindScalarCreators);

    [Fact]
    public void Core_PassesTorchSharpNoTemporaryScalar()
    {
        var offenders = typeof(HeldScalars).Assembly.GetTypes()
            .SelectMany(MethodsOf)
            .SelectMany(method => Calls(method).Where(IsTemporaryScalar).Select(callee => $"{method.DeclaringType}.{method.Name} calls {callee.DeclaringType?.Name}.{callee}"))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "temporary Scalars (use HeldScalars):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Scan_FindsTheRacyFormsInCodeThatUsesThem()
    {
        var found = MethodsOf(typeof(RacyForms)).ToDictionary(m => m.Name, m => Calls(m).Any(IsTemporaryScalar));

        Assert.True(found[nameof(RacyForms.SumOfTensors)]);
        Assert.True(found[nameof(RacyForms.TimesNumber)]);
        Assert.True(found[nameof(RacyForms.NumberMinusTensor)]);
        Assert.False(found[nameof(RacyForms.Held)]);
    }

    [Fact]
    public void HeldForms_ComputeWhatTheOperatorsCompute()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1f, -2f, 3.5f });
        var b = tensor(new[] { 0.5f, 4f, -1f });
        var mask = tensor(new[] { true, false, true });

        Assert.Equal((a + b).data<float>().ToArray(), a.Plus(b).data<float>().ToArray());
        Assert.Equal((a - b).data<float>().ToArray(), a.Minus(b).data<float>().ToArray());
        Assert.Equal((a + 2.5).data<float>().ToArray(), a.Plus(2.5).data<float>().ToArray());
        Assert.Equal((1.0 - a).data<float>().ToArray(), a.OneMinus().data<float>().ToArray());
        Assert.Equal((a * 0.25).data<float>().ToArray(), a.Times(0.25).data<float>().ToArray());
        Assert.Equal((a / 3.0).data<float>().ToArray(), a.DividedBy(3.0).data<float>().ToArray());
        Assert.Equal(new[] { -9f, -2f, -9f }, a.FilledWhere(mask, -9).data<float>().ToArray());
        Assert.Equal(new[] { 1f, 0f, 3.5f }, a.AtLeast(0).data<float>().ToArray());
        Assert.Equal(new[] { false, false, true }, a.AboveMask(1).data<bool>().ToArray());
        Assert.Equal(new[] { true, false, true }, a.AtLeastMask(1).data<bool>().ToArray());
        Assert.Equal(new long[] { 3, 4, 5 }, HeldScalars.Range(3, 6, CPU).data<long>().ToArray());
        Assert.Equal(new long[] { 7, 7 }, HeldScalars.Repeated(7, 2, CPU).data<long>().ToArray());
    }

    /// <summary>A call that leaves a Scalar to the finalizer; an explicit ToScalar() is the caller's to hold (and dispose).</summary>
    private static bool IsTemporaryScalar(MethodBase callee) =>
        ScalarCreators.Value.Contains(callee) && callee.DeclaringType?.Name != "ScalarExtensionMethods";

    /// <summary>TorchSharp methods that create a Scalar and pass it on without holding it, directly or through other TorchSharp methods.</summary>
    private static HashSet<MethodBase> FindScalarCreators()
    {
        var torchSharp = typeof(Scalar).Assembly;
        var types = torchSharp.GetTypes();
        var callsOf = types.SelectMany(MethodsOf).ToDictionary(m => m, m => Calls(m).ToArray());
        var creators = callsOf.Keys.Where(m => IsScalarConversion(m)).ToHashSet();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (method, calls) in callsOf)
            {
                if (!creators.Contains(method) && calls.Any(creators.Contains))
                {
                    creators.Add(method);
                    changed = true;
                }
            }
        }

        return creators;
    }

    private static bool IsScalarConversion(MethodBase method) =>
        (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit")
        || (method.DeclaringType?.Name == "ScalarExtensionMethods" && method.Name.StartsWith("To", StringComparison.Ordinal) && method.Name.EndsWith("Scalar", StringComparison.Ordinal));

    private static IEnumerable<MethodBase> MethodsOf(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));

    /// <summary>The methods a method's IL calls (call, callvirt, newobj), decoded opcode by opcode.</summary>
    private static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or FileNotFoundException)
        {
            il = null;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } generic ? generic.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var opCode = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += opCode.Size;
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                }
                catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or FileNotFoundException or TypeLoadException)
                {
                }

                if (callee is not null)
                {
                    yield return callee;
                }
            }

            i += OperandSize(opCode.OperandType, il, i);
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    private static readonly OpCode[] OneByte = OpCodeTable(twoByte: false);
    private static readonly OpCode[] TwoByte = OpCodeTable(twoByte: true);

    private static OpCode[] OpCodeTable(bool twoByte)
    {
        var table = new OpCode[256];
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            var value = (ushort)opCode.Value;
            if (twoByte ? opCode.Size == 2 : opCode.Size == 1)
            {
                table[value & 0xFF] = opCode;
            }
        }

        return table;
    }

    /// <summary>Code the scan must flag, and one form it must not.</summary>
    private static class RacyForms
    {
        public static Tensor SumOfTensors(Tensor a, Tensor b) => a + b;

        public static Tensor TimesNumber(Tensor a) => a * 0.5;

        public static Tensor NumberMinusTensor(Tensor a) => 1.0 - a;

        public static Tensor Held(Tensor a, Tensor b) => a.Plus(b).Times(0.5);
    }
}
