using System.Buffers.Binary;
using OneBit.PeWriter;

namespace OneBit.DeviceBuild;

/// <summary>
/// One assembly of an app image: the .pe bytes and what its header says (name, version, the assemblies it
/// references, CRCs as nanoCLR checks them in CLR_RECORD_ASSEMBLY::GoodHeader/GoodAssembly).
/// </summary>
public sealed class PeFile
{
    private PeFile(string name, Version version, IReadOnlyList<(string Name, Version Version)> references, byte[] bytes, string origin)
    {
        Name = name;
        Version = version;
        References = references;
        Bytes = bytes;
        Origin = origin;
    }

    /// <summary>Assembly name as nanoCLR resolves it (e.g. "mscorlib").</summary>
    public string Name { get; }

    public Version Version { get; }

    /// <summary>AssemblyRef table: the assemblies that must be loaded before this one.</summary>
    public IReadOnlyList<(string Name, Version Version)> References { get; }

    public byte[] Bytes { get; }

    /// <summary>Where the bytes came from (a path, "written from X.dll", ...), for the manifest and messages.</summary>
    public string Origin { get; }

    public uint HeaderCrc => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(AssemblyHeader.HeaderCrcOffset));

    public uint AssemblyCrc => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(AssemblyHeader.AssemblyCrcOffset));

    public uint NativeMethodsChecksum => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(AssemblyHeader.NativeChecksumOffset));

    /// <summary>CLR_RECORD_METHODDEF::MD_EntryPoint: nanoCLR starts the method that carries it (the C# compiler's entry point of an Exe).</summary>
    public const uint EntryPointFlag = 0x08000000;

    public static PeFile Load(string path, string? origin = null) => Parse(File.ReadAllBytes(path), origin ?? path);

    /// <summary>Name of the method marked as entry point, or null (a class library).</summary>
    public string? EntryPoint
    {
        get
        {
            var reader = new PeReader(Bytes);
            return reader.MethodDefs().FirstOrDefault(m => (m.Flags & EntryPointFlag) != 0)?.Name;
        }
    }

    /// <summary>Parses and checks a .pe: marker, both CRCs, name, version, references.</summary>
    /// <exception cref="InvalidDataException">not a valid stable-line (NFMRK1) .pe</exception>
    public static PeFile Parse(byte[] bytes, string origin)
    {
        if (bytes.Length < AssemblyHeader.Size || System.Text.Encoding.ASCII.GetString(bytes, 0, 6) != AssemblyHeader.Marker)
        {
            throw new InvalidDataException($"{origin}: not a nanoFramework .pe (no '{AssemblyHeader.Marker}' marker; the v2 preview line's NFMRK2 is not supported by the stable firmware)");
        }

        var header = (byte[])bytes.AsSpan(0, AssemblyHeader.Size).ToArray();
        uint headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(AssemblyHeader.HeaderCrcOffset));
        header.AsSpan(AssemblyHeader.HeaderCrcOffset, 4).Clear();
        if (Crc32Mpeg2.Compute(header) != headerCrc)
        {
            throw new InvalidDataException($"{origin}: header CRC mismatch (the file is damaged)");
        }

        uint assemblyCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(AssemblyHeader.AssemblyCrcOffset));
        if (Crc32Mpeg2.Compute(bytes.AsSpan(AssemblyHeader.Size)) != assemblyCrc)
        {
            throw new InvalidDataException($"{origin}: assembly CRC mismatch (the file is damaged or truncated)");
        }

        var reader = new PeReader(bytes);
        string name = reader.String(reader.Layout.NameStringId);
        var v = bytes.AsSpan(AssemblyHeader.VersionOffset);
        var version = new Version(BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..]),
            BinaryPrimitives.ReadUInt16LittleEndian(v[4..]), BinaryPrimitives.ReadUInt16LittleEndian(v[6..]));
        return new PeFile(name, version, reader.AssemblyRefs().ToList(), bytes, origin);
    }

    public override string ToString() => $"{Name} {Version}";
}
