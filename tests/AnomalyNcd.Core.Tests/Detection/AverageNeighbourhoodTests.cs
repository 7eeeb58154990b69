using AnomalyNcd.Core.Detection;

namespace AnomalyNcd.Core.Tests.Detection;

public class AverageNeighbourhoodTests
{
    [Theory]
    [InlineData(5, 4, 37)]
    [InlineData(28, 28, 384)]
    [InlineData(1, 3, 8)]
    public void AverageNeighbourhood_EqualsTheDirectMeanOverExistingCells(int rows, int columns, int dimension)
    {
        var random = new Random(rows * 1000 + columns);
        var tokens = Enumerable.Range(0, rows * columns * dimension).Select(_ => (float)random.NextDouble()).ToArray();

        var averaged = PatchFeatureExtractor.AverageNeighbourhood(tokens, rows, columns, dimension);

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                for (var d = 0; d < dimension; d += 7)
                {
                    double sum = 0;
                    var count = 0;
                    for (var nr = r - 1; nr <= r + 1; nr++)
                    {
                        for (var nc = c - 1; nc <= c + 1; nc++)
                        {
                            if (nr >= 0 && nr < rows && nc >= 0 && nc < columns)
                            {
                                sum += tokens[(nr * columns + nc) * dimension + d];
                                count++;
                            }
                        }
                    }

                    Assert.Equal(sum / count, averaged[(r * columns + c) * dimension + d], 1e-5);
                }
            }
        }
    }
}
