using System.Text;

namespace OneBit.PeWriter;

/// <summary>
/// CLR_RECORD_ASSEMBLY (nanoCLR_Types.h), 124 bytes: marker "NFMRK1", header CRC,
/// assembly CRC, flags, native methods checksum, patch entry, version, name, string table
/// version, 16 table offsets, patched method count, 16 padding bytes. Every table starts
/// 4-aligned and is zero padded to 4. The assembly CRC covers everything after the header;
/// the header CRC covers the header with its own field zeroed (GoodHeader/GoodAssembly).
/// </summary>
public sealed class AssemblyHeader
{
    public const int Size = 124;
    public const string Marker = "NFMRK1";
    public const int HeaderCrcOffset = 0x08;
    public const int AssemblyCrcOffset = 0x0C;
    public const int NativeChecksumOffset = 0x14;
    public const int VersionOffset = 0x1C;
    public const int NameOffset = 0x24;
    public const int TablesOffset = 0x28;
    public const int PaddingOffset = 0x6C;

    public uint NativeMethodsChecksum { get; init; }

    public Version Version { get; init; } = new(0, 0, 0, 0);

    public ushort NameStringId { get; init; }

    public static void WriteVersion(ByteBuffer b, Version v)
    {
        b.U16((ushort)v.Major);
        b.U16((ushort)v.Minor);
        b.U16((ushort)Math.Max(v.Build, 0));
        b.U16((ushort)Math.Max(v.Revision, 0));
    }

    public byte[] Assemble(byte[][] tables)
    {
        var body = new ByteBuffer();
        var starts = new uint[16];
        var padding = new byte[16];
        for (int t = 0; t < 16; t++)
        {
            starts[t] = (uint)(Size + body.Length);
            body.Bytes(tables[t]);
            padding[t] = (byte)((4 - tables[t].Length % 4) % 4);
            body.PadTo4();
        }

        var head = new ByteBuffer();
        head.Bytes(Encoding.ASCII.GetBytes(Marker));
        head.U16(0);
        head.U32(0); // header CRC, filled below
        head.U32(0); // assembly CRC, filled below
        head.U32(0); // flags
        head.U32(NativeMethodsChecksum);
        head.U32(0xFFFFFFFF); // patch entry offset: none
        WriteVersion(head, Version);
        head.U16(NameStringId);
        head.U16(1); // string table version
        foreach (var s in starts)
        {
            head.U32(s);
        }

        head.U32(0); // patched methods
        head.Bytes(padding);

        var result = new byte[Size + body.Length];
        head.ToArray().CopyTo(result, 0);
        body.ToArray().CopyTo(result, Size);
        uint assemblyCrc = Crc32Mpeg2.Compute(result.AsSpan(Size));
        BitConverter.TryWriteBytes(result.AsSpan(AssemblyCrcOffset), assemblyCrc);
        uint headerCrc = Crc32Mpeg2.Compute(result.AsSpan(0, Size));
        BitConverter.TryWriteBytes(result.AsSpan(HeaderCrcOffset), headerCrc);
        return result;
    }
}
