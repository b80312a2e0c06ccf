using System.Text;

namespace OneBit.Emulator.Onnx;

/// <summary>
/// The few protobuf wire-format encodings an ONNX model needs (varint, length-delimited, fixed32), written
/// by hand so the exporter has no protobuf dependency (encoding: protobuf.dev "Encoding").
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _s = new();

    public byte[] ToArray() => _s.ToArray();

    private void Varint(ulong v)
    {
        while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        _s.WriteByte((byte)v);
    }

    private void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    public ProtoWriter Int(int field, long v) { Tag(field, 0); Varint((ulong)v); return this; }

    public ProtoWriter Float(int field, float v) { Tag(field, 5); _s.Write(BitConverter.GetBytes(v)); return this; }

    public ProtoWriter Bytes(int field, byte[] v) { Tag(field, 2); Varint((ulong)v.Length); _s.Write(v); return this; }

    public ProtoWriter String(int field, string v) => Bytes(field, Encoding.UTF8.GetBytes(v));

    public ProtoWriter Message(int field, ProtoWriter m) => Bytes(field, m.ToArray());
}
