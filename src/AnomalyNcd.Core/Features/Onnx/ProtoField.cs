namespace AnomalyNcd.Core.Features.Onnx;

/// <summary>
/// One field of a protobuf message as it lies in the bytes: its number, wire type, where the whole field
/// (tag included) starts and ends, and for length-delimited fields where the payload starts.
/// </summary>
internal readonly record struct ProtoField(int Number, int WireType, int Start, int PayloadStart, int End)
{
    public const int VarintType = 0;
    public const int Fixed64Type = 1;
    public const int LengthDelimitedType = 2;
    public const int Fixed32Type = 5;

    public int PayloadLength => End - PayloadStart;
}
