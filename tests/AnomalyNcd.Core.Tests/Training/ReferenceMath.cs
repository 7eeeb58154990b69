namespace AnomalyNcd.Core.Tests.Training;

/// <summary>Plain double arithmetic used to compute expected loss values independently of TorchSharp.</summary>
internal static class ReferenceMath
{
    public static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    public static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    public static double Cosine(double[] a, double[] b) => Dot(Normalize(a), Normalize(b));

    public static double LogSumExp(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var max = list.Max();
        return max + Math.Log(list.Sum(x => Math.Exp(x - max)));
    }

    public static double[] Softmax(double[] logits, double temperature = 1.0)
    {
        var scaled = logits.Select(x => x / temperature).ToArray();
        var lse = LogSumExp(scaled);
        return scaled.Select(x => Math.Exp(x - lse)).ToArray();
    }

    public static double[] LogSoftmax(double[] logits, double temperature = 1.0)
    {
        var scaled = logits.Select(x => x / temperature).ToArray();
        var lse = LogSumExp(scaled);
        return scaled.Select(x => x - lse).ToArray();
    }

    public static double[,] ToMatrix(double[][] rows)
    {
        var matrix = new double[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < rows[0].Length; j++)
            {
                matrix[i, j] = rows[i][j];
            }
        }

        return matrix;
    }

    /// <summary>SimCLR NT-Xent over rows (first half view 0, second half view 1).</summary>
    public static double SimClr(double[][] z, double temperature)
    {
        var n = z.Length;
        var half = n / 2;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var positive = i < half ? i + half : i - half;
            var row = Enumerable.Range(0, n).Where(j => j != i).Select(j => Cosine(z[i], z[j]) / temperature);
            total += -Cosine(z[i], z[positive]) / temperature + LogSumExp(row);
        }

        return total / n;
    }

    /// <summary>SupCon over 2n rows (view-major) with n labels.</summary>
    public static double SupCon(double[][] z, int[] labels, double temperature)
    {
        var n = z.Length;
        var rowLabels = labels.Concat(labels).ToArray();
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var logDenominator = LogSumExp(Enumerable.Range(0, n).Where(a => a != i).Select(a => Cosine(z[i], z[a]) / temperature));
            var positives = Enumerable.Range(0, n).Where(p => p != i && rowLabels[p] == rowLabels[i]).ToArray();
            total += -positives.Average(p => Cosine(z[i], z[p]) / temperature - logDenominator);
        }

        return total / n;
    }

    public static double CrossEntropy(double[][] logits, int[] labels, double temperature)
        => logits.Select((row, i) => -LogSoftmax(row, temperature)[labels[i]]).Average();

    public static double MeanEntropy(double[][] logits, double temperature)
    {
        var k = logits[0].Length;
        var probabilities = logits.Select(row => Softmax(row, temperature)).ToArray();
        var mean = Enumerable.Range(0, k).Select(c => probabilities.Average(p => p[c])).ToArray();
        return mean.Sum(p => p * Math.Log(p)) + Math.Log(k);
    }

    /// <summary>Restricted, corrected teacher target for one row.</summary>
    public static double[] DistillTarget(double[] teacher, double teacherTemperature, int baseClasses, double weight)
    {
        var k = teacher.Length;
        var p = Softmax(teacher, teacherTemperature);
        var novelSum = p.Skip(baseClasses).Sum();
        var q = p.Select((v, c) => c < baseClasses ? 0.0 : v / novelSum).ToArray();
        return q.Select((v, c) => weight * (c == baseClasses ? 1.0 : 0.0) + (1 - weight) * v).ToArray();
    }

    public static double Distill(double[][] logits, double teacherTemperature, int baseClasses, double[] weights, double studentTemperature)
    {
        var n = logits.Length;
        var half = n / 2;
        double Term(int fromStart, int toStart)
        {
            var sum = 0.0;
            for (var r = 0; r < half; r++)
            {
                var q = DistillTarget(logits[fromStart + r], teacherTemperature, baseClasses, weights[fromStart + r]);
                var logP = LogSoftmax(logits[toStart + r], studentTemperature);
                sum += -q.Zip(logP, (a, b) => a * b).Sum();
            }

            return sum / half;
        }

        return (Term(0, half) + Term(half, 0)) / 2;
    }
}
