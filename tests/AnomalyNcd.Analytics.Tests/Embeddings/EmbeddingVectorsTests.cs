using AnomalyNcd.Analytics.Embeddings;

namespace AnomalyNcd.Analytics.Tests.Embeddings;

public sealed class EmbeddingVectorsTests
{
    [Fact]
    public void EncodeDecode_RoundTripsAndRejectsATruncatedFile()
    {
        float[] vector = [1.5f, -2.25f, 0f, 3.4e38f];

        Assert.Equal(vector, EmbeddingVectors.Decode(EmbeddingVectors.Encode(vector)));
        Assert.Equal(16, EmbeddingVectors.Encode(vector).Length);
        Assert.Throws<FormatException>(() => EmbeddingVectors.Decode(new byte[7]));
    }
}
