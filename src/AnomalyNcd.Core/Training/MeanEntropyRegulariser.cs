using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Mean-entropy regulariser (method-spec §9.2 step 3): with p̄ the mean of softmax(logits/τ_s) over
/// the unlabelled rows, L_me = Σ p̄ log p̄ + log K = log K − H(p̄) ≥ 0. Minimising it spreads the
/// predictions over all K classes.
/// </summary>
public static class MeanEntropyRegulariser
{
    /// <param name="unlabelledLogits">[2n_u, K] logits of the unlabelled rows of both views.</param>
    /// <param name="firstClass">
    /// 0 (the reference): spread over all K classes. L (the base-class count): spread over the novel classes only,
    /// the same classes the distillation target covers (<see cref="NcdObjectiveOptions.MeanEntropyOverNovelClassesOnly"/>).
    /// </param>
    public static Tensor Compute(Tensor unlabelledLogits, double studentTemperature = ClassificationLoss.DefaultStudentTemperature, int firstClass = 0) =>
        OfProbabilities(Probabilities(unlabelledLogits, studentTemperature, firstClass));

    /// <summary>
    /// The same term with the rows of <paramref name="fixedRows"/> counted as certain of <paramref name="fixedClass"/>
    /// (one-hot, no gradient) instead of their own predictions: crops known to be normal then hold the normal class's
    /// share and cannot spread their mass over another class in its place.
    /// </summary>
    /// <param name="fixedRows">[N] bool: rows whose prediction is replaced.</param>
    public static Tensor Compute(Tensor unlabelledLogits, Tensor fixedRows, int fixedClass, double studentTemperature, int firstClass)
    {
        var probabilities = Probabilities(unlabelledLogits, studentTemperature, firstClass);
        if (fixedClass < firstClass || fixedClass >= unlabelledLogits.shape[1])
        {
            throw new ArgumentOutOfRangeException(nameof(fixedClass), $"class {fixedClass} is outside {firstClass}..{unlabelledLogits.shape[1] - 1}");
        }

        var certain = functional.one_hot(HeldScalars.Repeated(fixedClass - firstClass, probabilities.shape[0], probabilities.device), probabilities.shape[1]).to_type(probabilities.dtype);
        return OfProbabilities(where(fixedRows.unsqueeze(1), certain, probabilities));
    }

    /// <summary>softmax(logits / τ_s) over the classes from <paramref name="firstClass"/> on.</summary>
    private static Tensor Probabilities(Tensor unlabelledLogits, double studentTemperature, int firstClass)
    {
        if (unlabelledLogits.dim() != 2 || unlabelledLogits.shape[0] == 0)
        {
            throw new ArgumentException($"mean entropy needs [N, K] logits with N >= 1, got [{string.Join(", ", unlabelledLogits.shape)}]", nameof(unlabelledLogits));
        }

        if (firstClass < 0 || firstClass >= unlabelledLogits.shape[1])
        {
            throw new ArgumentOutOfRangeException(nameof(firstClass), $"first class {firstClass} leaves no class among {unlabelledLogits.shape[1]}");
        }

        var logits = firstClass == 0 ? unlabelledLogits : unlabelledLogits[.., firstClass..];
        return functional.softmax(logits.DividedBy(studentTemperature), 1);
    }

    private static Tensor OfProbabilities(Tensor probabilities)
    {
        var classCount = probabilities.shape[1];
        var meanProbability = probabilities.mean(new long[] { 0 });
        // xlogy gives 0 for an underflowed class, as the reference's log(p^-p) does.
        return xlogy(meanProbability, meanProbability).sum().Plus(Math.Log(classCount));
    }
}
