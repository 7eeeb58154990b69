namespace AnomalyNcd.Analytics.Embeddings;

/// <summary>
/// The stored form of a region embedding (artefact kind <c>embedding</c>, extension <c>f32</c>): the vector's
/// float32 values, little-endian, back to back, nothing else.
/// </summary>
public static class EmbeddingVectors
{
    public const string Kind = "embedding";
    public const string Extension = "f32";

    public static float[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new FormatException($"an embedding of {bytes.Length} bytes is not a whole number of float32 values");
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float), sizeof(float)));
        }

        return vector;
    }

    public static byte[] Encode(IReadOnlyList<float> vector)
    {
        var bytes = new byte[vector.Count * sizeof(float)];
        for (var i = 0; i < vector.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
