namespace AnomalyNcd.Core.Tests.Detection;

/// <summary>Random banks and queries for nearest-neighbour tests, and the double-precision brute force they are checked against.</summary>
internal static class SearchTestData
{
    public static float[] Gaussian(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    /// <summary>Rows near the 8-d subspace spanned by <paramref name="mixing"/> (8 × dimension), as patch features lie near a few principal axes.</summary>
    public static float[] LowRank(Random random, float[] mixing, int rows, int dimension)
    {
        var latent = Gaussian(random, rows * 8);
        var noise = Gaussian(random, rows * dimension);
        var result = new float[rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            for (var d = 0; d < dimension; d++)
            {
                var value = 0.01f * noise[r * dimension + d];
                for (var k = 0; k < 8; k++)
                {
                    value += latent[r * 8 + k] * mixing[k * dimension + d];
                }

                result[r * dimension + d] = value;
            }
        }

        return result;
    }

    public static double[] BruteForce(float[] bank, float[] queries, int dimension)
    {
        var bankRows = bank.Length / dimension;
        return Enumerable.Range(0, queries.Length / dimension).Select(q =>
            Enumerable.Range(0, bankRows).Min(b =>
            {
                double sum = 0;
                for (var d = 0; d < dimension; d++)
                {
                    var diff = (double)queries[q * dimension + d] - bank[b * dimension + d];
                    sum += diff * diff;
                }

                return Math.Sqrt(sum);
            })).ToArray();
    }
}
