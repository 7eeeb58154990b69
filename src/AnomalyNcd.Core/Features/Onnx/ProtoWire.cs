namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>
/// The few pieces of the protobuf wire format needed to edit an ONNX model in place: varints, tags and
/// walking the fields of one message. Unknown fields are never decoded, only skipped, so re-serialising
/// a message from its untouched byte ranges keeps it exactly as it was.
/// </summary>
internal static class ProtoWire
{
    public static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException("Protobuf varint runs past the end of the message.");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("Protobuf varint is longer than 10 bytes.");
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    public static void WriteLengthDelimited(Stream output, int fieldNumber, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, ((ulong)fieldNumber << 3) | ProtoField.LengthDelimitedType);
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    public static void WriteVarintField(Stream output, int fieldNumber, ulong value)
    {
        WriteVarint(output, ((ulong)fieldNumber << 3) | ProtoField.VarintType);
        WriteVarint(output, value);
    }

    /// <summary>The top-level fields of one message, in the order they appear.</summary>
    public static List<ProtoField> ReadFields(ReadOnlySpan<byte> message)
    {
        var fields = new List<ProtoField>();
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            if (number <= 0)
            {
                throw new FormatException($"Protobuf field number {number} at byte {start} is invalid.");
            }

            var payloadStart = position;
            switch (wireType)
            {
                case ProtoField.VarintType:
                    ReadVarint(message, ref position);
                    break;
                case ProtoField.Fixed64Type:
                    position += 8;
                    break;
                case ProtoField.Fixed32Type:
                    position += 4;
                    break;
                case ProtoField.LengthDelimitedType:
                    var length = ReadVarint(message, ref position);
                    if (length > (ulong)(message.Length - position))
                    {
                        throw new FormatException($"Protobuf field {number} at byte {start} claims {length} bytes, more than the message holds.");
                    }

                    payloadStart = position;
                    position += (int)length;
                    break;
                default:
                    throw new FormatException($"Protobuf wire type {wireType} (field {number} at byte {start}) is not supported.");
            }

            if (position > message.Length)
            {
                throw new FormatException($"Protobuf field {number} at byte {start} runs past the end of the message.");
            }

            fields.Add(new ProtoField(number, wireType, start, payloadStart, position));
        }

        return fields;
    }

    /// <summary>Appends the value(s) of a repeated varint field, written one per tag or packed into one payload.</summary>
    public static void ReadRepeatedVarint(ReadOnlySpan<byte> message, ProtoField field, List<long> values)
    {
        var position = field.PayloadStart;
        if (field.WireType == ProtoField.VarintType)
        {
            values.Add((long)ReadVarint(message, ref position));
            return;
        }

        while (position < field.End)
        {
            values.Add((long)ReadVarint(message, ref position));
        }
    }

    /// <summary>The UTF-8 string payload of a length-delimited field.</summary>
    public static string ReadString(ReadOnlySpan<byte> message, ProtoField field) =>
        System.Text.Encoding.UTF8.GetString(message.Slice(field.PayloadStart, field.PayloadLength));
}
