using TorchSharp;
using AnomalyNcd.Core.Model;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// The full per-batch objective of method-spec §9.2 on the outputs of one forward pass over 2B rows
/// (rows 0..B-1 view 0, B..2B-1 view 1):
/// loss = (1−λ)·cluster + λ·cls + (1−λ)·L_con + λ·L_sup, with cls = mean_h CE_h and
/// cluster = mean_h (L_dist,h + μ·L_me,h).
/// </summary>
public static class NcdObjective
{
    /// <param name="output">Projector output z [2B, d] and head logits [2B, K].</param>
    /// <param name="labels">[B] class labels (values of unlabelled samples are ignored).</param>
    /// <param name="labelled">[B] bool: which samples are labelled (base data).</param>
    /// <param name="correctionWeights">[B] PLC weights of the samples (used for unlabelled ones only), or null when PLC is off.</param>
    /// <param name="baseClassCount">L, the number of base classes.</param>
    /// <param name="teacherTemperature">τ_t of the current epoch.</param>
    /// <param name="regionless">[B] bool: crops without a region (<see cref="NcdObjectiveOptions.RegionlessCropsCountAsNormal"/>), or null.</param>
    public static NcdLossBreakdown Compute(
        MultiHeadOutput output,
        Tensor labels,
        Tensor labelled,
        Tensor? correctionWeights,
        int baseClassCount,
        double teacherTemperature,
        NcdObjectiveOptions? options = null,
        Tensor? regionless = null)
    {
        options ??= new NcdObjectiveOptions();
        var rows = output.Projection.shape[0];
        var batch = labels.shape[0];
        if (rows != 2 * batch || labelled.shape[0] != batch || labelled.dtype != ScalarType.Bool)
        {
            throw new ArgumentException(
                $"objective needs 2B rows for B labels and a [B] bool labelled mask, got {rows} rows, {batch} labels, mask [{string.Join(", ", labelled.shape)}] {labelled.dtype}",
                nameof(output));
        }

        var labelledCount = labelled.sum().ToInt64();
        var withoutBaseSet = baseClassCount == 0;
        if (labelledCount == batch || (labelledCount == 0 && !withoutBaseSet))
        {
            // The reference skips such batches (§7.2); the caller must do the same. Only a run without
            // any labelled base set (L = 0) trains on unlabelled batches, without the supervised terms.
            throw new ArgumentException("a batch must hold both labelled and unlabelled samples", nameof(labelled));
        }

        var labelledRows = cat(new[] { labelled, labelled });
        var unlabelledRows = labelledRows.logical_not();
        var labelledLabels = labels[labelled];
        var labelledLabelsBothViews = cat(new[] { labelledLabels, labelledLabels });
        Tensor? unlabelledWeights = null;
        if (correctionWeights is not null)
        {
            var unlabelled = labelled.logical_not();
            var perSample = correctionWeights[unlabelled];
            unlabelledWeights = cat(new[] { perSample, perSample });
        }

        // Crops without a region count in the mean-entropy term as certain of the normal class (an option; the reference
        // counts their own predictions).
        var meanEntropyFirstClass = options.MeanEntropyOverNovelClassesOnly ? baseClassCount : 0;
        var regionlessRows = options.RegionlessCropsCountAsNormal && regionless is not null
            ? cat(new[] { regionless, regionless })[unlabelledRows]
            : null;
        var contrastive = SimClrLoss.Compute(output.Projection, options.SimClrTemperature);
        var supervisedContrastive = labelledCount == 0
            ? zeros(new long[0], dtype: output.Projection.dtype, device: output.Projection.device)
            : SupConLoss.Compute(output.Projection[labelledRows], labelledLabels, options.SupConTemperature, options.SupConBaseTemperature);

        var headCount = output.Logits.Count;
        var headClassification = new Tensor[headCount];
        var headDistillation = new Tensor[headCount];
        var headMeanEntropy = new Tensor[headCount];
        var headCluster = new Tensor[headCount];
        for (var h = 0; h < headCount; h++)
        {
            var logits = output.Logits[h];
            var unlabelledLogits = logits[unlabelledRows];
            headClassification[h] = labelledCount == 0
                ? zeros(new long[0], dtype: logits.dtype, device: logits.device)
                : ClassificationLoss.Compute(logits[labelledRows], labelledLabelsBothViews, options.StudentTemperature);
            // Teacher = detached logits of this same pass (no EMA network in the reference).
            headDistillation[h] = DistillationLoss.Compute(
                unlabelledLogits, unlabelledLogits.detach(), teacherTemperature, baseClassCount, unlabelledWeights, options.StudentTemperature, options.TeacherTargets);
            headMeanEntropy[h] = regionlessRows is null
                ? MeanEntropyRegulariser.Compute(unlabelledLogits, options.StudentTemperature, meanEntropyFirstClass)
                : MeanEntropyRegulariser.Compute(unlabelledLogits, regionlessRows, baseClassCount, options.StudentTemperature, meanEntropyFirstClass);
            headCluster[h] = headDistillation[h].Plus(headMeanEntropy[h].Times(options.MeanEntropyWeight));
        }

        var classification = stack(headClassification).mean();
        var cluster = stack(headCluster).mean();
        var lambda = options.SupervisedWeight;
        var total = cluster.Times(1 - lambda).Plus(classification.Times(lambda)).Plus(contrastive.Times(1 - lambda)).Plus(supervisedContrastive.Times(lambda));
        return new NcdLossBreakdown(
            total, contrastive, supervisedContrastive, classification, cluster,
            headClassification, headDistillation, headMeanEntropy, headCluster);
    }
}
