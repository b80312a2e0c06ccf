using System.Text;

namespace OneBit.PeWriter;

/// <summary>Little-endian byte sink; nanoCLR targets are little endian only.</summary>
public sealed class ByteBuffer
{
    private readonly List<byte> _bytes = new();

    public int Length => _bytes.Count;

    public void U8(byte value) => _bytes.Add(value);

    public void I8(sbyte value) => _bytes.Add((byte)value);

    public void U16(ushort value)
    {
        _bytes.Add((byte)value);
        _bytes.Add((byte)(value >> 8));
    }

    public void U32(uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }
    }

    public void U64(ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            _bytes.Add(b);
        }
    }

    /// <summary>UTF-8 text plus terminating zero, the string table's entry format.</summary>
    public void ZString(string value)
    {
        Bytes(Encoding.UTF8.GetBytes(value));
        U8(0);
    }

    /// <summary>
    /// Compressed token as used inside signatures (CLR_TkFromStream in nanoCLR_Types.h):
    /// 1, 2 or 4 bytes, big endian, top bits select the length.
    /// </summary>
    public void CompressedToken(uint value)
    {
        if (value <= 0x7F)
        {
            U8((byte)value);
        }
        else if (value <= 0x3FFF)
        {
            U8((byte)((value >> 8) | 0x80));
            U8((byte)value);
        }
        else
        {
            U8((byte)((value >> 24) | 0xC0));
            U8((byte)(value >> 16));
            U8((byte)(value >> 8));
            U8((byte)value);
        }
    }

    public void PadTo4()
    {
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }
    }

    public byte[] ToArray() => _bytes.ToArray();
}
