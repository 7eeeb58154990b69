namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Whether a labelled base set shares the feature space of the crops to discover: for every unlabelled crop, is its
/// nearest other crop (Euclidean on unit-length descriptors) a base crop? If base and novel crops were drawn from one
/// pool, that happens for a share L / (L + U − 1) of them; the relevance is the observed share over that expected
/// share (about 1 when the sets mix, 0 when the base set lies apart, e.g. solar cells as the base of magnetic tiles).
/// A base set that lies apart cannot pull the line's crops towards its classes, and on MTD it cost 0.07–0.09 NMI
/// (docs/RESULTS.md), so <see cref="BaseSetUse.Auto"/> leaves it out below <see cref="Threshold"/>.
/// </summary>
public static class BaseSetRelevance
{
    /// <summary>
    /// Used at or above this relevance: a quarter of the nearest-neighbour mixing two sets drawn from one pool would show.
    /// Cross-domain base sets measure near 0 (PV-Multi-Defect under MTD: docs/RESULTS.md), so the gate is not tuned finely.
    /// </summary>
    public const double Threshold = 0.25;

    public sealed record Measurement(int BaseCrops, int NovelCrops, double NearestBaseShare, double ExpectedShare)
    {
        /// <summary>Observed share over expected share; 0 when either set is empty.</summary>
        public double Relevance => ExpectedShare > 0 ? NearestBaseShare / ExpectedShare : 0;

        public bool Relevant => Relevance >= Threshold;

        /// <summary>What a run did with the base set, in words (model card, command output).</summary>
        public string Verdict => Relevant
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"used (relevance {Relevance:0.000})")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"left out (relevance {Relevance:0.000} < {Threshold}: its crops lie apart from these)");
    }

    /// <param name="baseDescriptors">One unit-length descriptor per labelled base crop.</param>
    /// <param name="novelDescriptors">One unit-length descriptor per unlabelled crop, of the same dimension.</param>
    public static Measurement Measure(IReadOnlyList<double[]> baseDescriptors, IReadOnlyList<double[]> novelDescriptors)
    {
        var (l, u) = (baseDescriptors.Count, novelDescriptors.Count);
        if (l == 0 || u == 0 || l + u < 2)
        {
            return new Measurement(l, u, 0, 0);
        }

        var nearestIsBase = 0;
        for (var i = 0; i < u; i++)
        {
            var query = novelDescriptors[i];
            var best = double.PositiveInfinity;
            var bestIsBase = false;
            for (var j = 0; j < u; j++)
            {
                if (j != i)
                {
                    Consider(ClassCountEstimator.SquaredDistance(query, novelDescriptors[j]), isBase: false);
                }
            }

            foreach (var candidate in baseDescriptors)
            {
                Consider(ClassCountEstimator.SquaredDistance(query, candidate), isBase: true);
            }

            if (bestIsBase)
            {
                nearestIsBase++;
            }

            // Strictly closer wins, novel crops first: a tie never counts as mixing.
            void Consider(double distance, bool isBase)
            {
                if (distance < best)
                {
                    (best, bestIsBase) = (distance, isBase);
                }
            }
        }

        return new Measurement(l, u, (double)nearestIsBase / u, (double)l / (l + u - 1));
    }
}
