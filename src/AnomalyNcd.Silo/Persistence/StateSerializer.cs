using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Session;
using Orleans.Storage;

namespace AnomalyNcd.Silo.Persistence;

/// <summary>
/// The grain storage serializer of our state table. Writes <see cref="StateFormat.Binary"/> (Orleans' own binary
/// serializer behind <see cref="BinaryMarker"/>; all state types are [GenerateSerializer]) or
/// <see cref="StateFormat.Json"/> (Orleans' JsonGrainStorageSerializer, SQL-queryable), and reads both whatever it
/// writes: a payload that starts with the marker is binary, anything else goes to the JSON reader, so rows written
/// before the binary format existed keep loading and are rewritten in the configured format on their next write.
/// </summary>
public sealed class StateSerializer(Serializer binary, SerializerSessionPool sessions, IGrainStorageSerializer json, StateFormat format) : IGrainStorageSerializer
{
    /// <summary>
    /// Starts every binary payload. The NUL byte never starts JSON text, so the two formats cannot be confused,
    /// and the SQL view's "first byte is '{'" test leaves binary rows out; the last byte numbers the format.
    /// </summary>
    public static ReadOnlySpan<byte> BinaryMarker => [0x00, (byte)'A', (byte)'N', 0x01];

    public StateFormat Format => format;

    public BinaryData Serialize<T>(T? input)
    {
        if (format == StateFormat.Json)
        {
            return json.Serialize(input);
        }

        // Pooled buffers while writing, one exact-size array at the end. The marker goes into the buffer before
        // the writer takes it, so the serializer's stream (and its positions) starts right after the marker.
        var buffer = new PooledBuffer();
        buffer.Write(BinaryMarker);
        using var session = sessions.GetSession();
        var writer = Writer.Create(buffer, session);
        try
        {
            binary.Serialize(input, ref writer);
            return new BinaryData(writer.Output.ToArray());
        }
        finally
        {
            writer.Dispose();
        }
    }

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.ToMemory();
        if (!bytes.Span.StartsWith(BinaryMarker))
        {
            try
            {
                return json.Deserialize<T>(input);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                // Not chained: Orleans has no codec for Newtonsoft's exceptions, so the caller would see a CodecNotFoundException instead.
                throw new InvalidDataException(
                    $"stored {typeof(T).Name} state ({bytes.Length} bytes) is neither in the binary state format nor JSON: {failure.GetType().Name}: {failure.Message}");
            }
        }

        try
        {
            return binary.Deserialize<T>(bytes[BinaryMarker.Length..]);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"stored {typeof(T).Name} state ({bytes.Length} bytes) carries the binary state marker but does not deserialize: {failure.Message}", failure);
        }
    }

    /// <summary>True when <paramref name="payload"/> was written in the binary format.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> payload) => payload.StartsWith(BinaryMarker);
}
