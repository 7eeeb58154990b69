using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// SGD setup of method-spec §9.4: momentum 0.9, two parameter groups — biases and other 1-D tensors
/// (LayerNorm weights) without weight decay, every other trainable tensor with 5e-5 (L2 added to the
/// gradient). Frozen parameters (requires_grad false) are left out.
/// </summary>
public static class NcdOptimizer
{
    public const double DefaultMomentum = 0.9;
    public const double DefaultWeightDecay = 5e-5;

    public static WeightDecayGroups SplitByWeightDecay(IEnumerable<(string name, Parameter parameter)> namedParameters)
    {
        var decayed = new List<(string, Parameter)>();
        var notDecayed = new List<(string, Parameter)>();
        foreach (var (name, parameter) in namedParameters)
        {
            if (!parameter.requires_grad)
            {
                continue;
            }

            var isBiasLike = name.EndsWith(".bias", StringComparison.Ordinal) || name == "bias" || parameter.dim() == 1;
            (isBiasLike ? notDecayed : decayed).Add((name, parameter));
        }

        return new WeightDecayGroups(decayed, notDecayed);
    }

    public static MomentumSgd Create(
        IEnumerable<(string name, Parameter parameter)> namedParameters,
        double learningRate = CosineLearningRateSchedule.DefaultBaseLearningRate,
        double momentum = DefaultMomentum,
        double weightDecay = DefaultWeightDecay)
    {
        var groups = SplitByWeightDecay(namedParameters);
        if (groups.Decayed.Count + groups.NotDecayed.Count == 0)
        {
            throw new ArgumentException("no trainable parameters to optimise", nameof(namedParameters));
        }

        return new MomentumSgd(
            [
                new MomentumSgd.ParameterGroup([.. groups.NotDecayed.Select(p => p.Parameter)], learningRate, 0.0),
                new MomentumSgd.ParameterGroup([.. groups.Decayed.Select(p => p.Parameter)], learningRate, weightDecay),
            ],
            momentum);
    }

    /// <summary>Sets the learning rate of every group (the per-epoch cosine value of §9.4).</summary>
    public static void SetLearningRate(MomentumSgd optimizer, double learningRate)
    {
        foreach (var group in optimizer.Groups)
        {
            group.LearningRate = learningRate;
        }
    }
}
