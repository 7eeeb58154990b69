using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// Self-distillation with pseudo-label correction (method-spec §9.2 step 3, DistillLoss).
/// The teacher is the detached logits of the same pass, sharpened with τ_t and restricted to the
/// novel classes; PLC pulls low-score samples towards the first novel class ("normal"); each view's
/// target supervises the OTHER view's student log-softmax over all K classes; the two terms are averaged.
/// </summary>
public static class DistillationLoss
{
    /// <param name="studentLogits">[2n_u, K] logits of the unlabelled rows, view 0 block then view 1 block.</param>
    /// <param name="teacherLogits">[2n_u, K] the teacher logits of the same rows (detached here).</param>
    /// <param name="teacherTemperature">τ_t of the current epoch (<see cref="TeacherTemperatureSchedule"/>).</param>
    /// <param name="baseClassCount">L: classes 0..L-1 are base classes, L..K-1 novel; class L is the "normal" one.</param>
    /// <param name="correctionWeights">[2n_u] PLC weights w (0 = no correction), or null when PLC is disabled.</param>
    /// <param name="targets">How the teacher's novel-class distribution is formed (the reference: softmax).</param>
    public static Tensor Compute(
        Tensor studentLogits,
        Tensor teacherLogits,
        double teacherTemperature,
        int baseClassCount,
        Tensor? correctionWeights = null,
        double studentTemperature = ClassificationLoss.DefaultStudentTemperature,
        TeacherTargets targets = TeacherTargets.Softmax)
    {
        var rows = studentLogits.shape[0];
        if (studentLogits.dim() != 2 || rows % 2 != 0 || rows == 0 || !studentLogits.shape.SequenceEqual(teacherLogits.shape))
        {
            throw new ArgumentException(
                $"distillation needs matching [2n_u, K] student and teacher logits, got [{string.Join(", ", studentLogits.shape)}] and [{string.Join(", ", teacherLogits.shape)}]",
                nameof(studentLogits));
        }

        var target = Targets(teacherLogits, teacherTemperature, baseClassCount, correctionWeights, targets);
        var studentLogProbabilities = functional.log_softmax(studentLogits.DividedBy(studentTemperature), 1).chunk(2);
        var viewTargets = target.chunk(2);
        var view1LearnsFromView0 = (-(viewTargets[0] * studentLogProbabilities[1]).sum(1)).mean();
        var view0LearnsFromView1 = (-(viewTargets[1] * studentLogProbabilities[0]).sum(1)).mean();
        return view1LearnsFromView0.Plus(view0LearnsFromView1).DividedBy(2.0);
    }

    /// <summary>
    /// The corrected teacher distribution [rows, K]: softmax(teacher/τ_t) with base classes zeroed and
    /// renormalised (or, with <see cref="TeacherTargets.Sinkhorn"/>, balanced over each view's rows), then
    /// w·e_L + (1-w)·q per row.
    /// </summary>
    public static Tensor Targets(Tensor teacherLogits, double teacherTemperature, int baseClassCount, Tensor? correctionWeights, TeacherTargets targets = TeacherTargets.Softmax)
    {
        var classCount = teacherLogits.shape[1];
        if (baseClassCount < 0 || baseClassCount >= classCount)
        {
            throw new ArgumentOutOfRangeException(nameof(baseClassCount), $"base class count {baseClassCount} leaves no novel class among {classCount}");
        }

        var rows = teacherLogits.shape[0];
        var teacher = teacherLogits.detach();
        // Zeroing the base columns and renormalising equals a softmax over the novel columns alone;
        // computing it that way cannot divide 0 by 0 when the novel probabilities underflow.
        var novelLogits = teacher[.., baseClassCount..];
        var novel = targets == TeacherTargets.Sinkhorn
            ? cat(novelLogits.chunk(2).Select(view => SinkhornBalancing.Targets(view, teacherTemperature)).ToArray(), 0)
            : functional.softmax(novelLogits.DividedBy(teacherTemperature), 1);
        var target = cat(new[] { zeros(rows, baseClassCount, dtype: novel.dtype, device: novel.device), novel }, 1);
        if (correctionWeights is null)
        {
            return target;
        }

        if (correctionWeights.dim() != 1 || correctionWeights.shape[0] != rows)
        {
            throw new ArgumentException($"PLC weights must be [{rows}], got [{string.Join(", ", correctionWeights.shape)}]", nameof(correctionWeights));
        }

        var normal = functional.one_hot(HeldScalars.Repeated(baseClassCount, rows, target.device), classCount)
            .to_type(target.dtype);
        var w = correctionWeights.detach().to_type(target.dtype).unsqueeze(1);
        return w.mul(normal).Plus(w.OneMinus().mul(target));
    }
}
