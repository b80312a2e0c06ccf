using System.Buffers.Binary;
using System.Collections;
using System.Resources;
using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// TBL_Resources, TBL_ResourcesData and TBL_ResourcesFiles from the embedded .resources
/// files (CLR_RECORD_RESOURCE / CLR_RECORD_RESOURCE_FILE, nanoCLR_Types.h). Entries of all
/// files are merged and sorted by a 16-bit id hashed from the resource name, closed by a
/// sentinel (id 0x7FFF, kind none). Strings are stored as UTF-8 plus zero, binary data as
/// raw bytes. Bitmaps and fonts need nanoFramework's pixel/font converters and are refused.
/// </summary>
public sealed class ResourceTables
{
    private const byte KindNone = 0x00;
    private const byte KindString = 0x03;
    private const byte KindBinary = 0x04;
    private const uint FontHeaderMagic = 0xF995B0A8;

    public byte[] Resources { get; private set; } = Array.Empty<byte>();

    public byte[] Data { get; private set; } = Array.Empty<byte>();

    /// <summary>(.nanoresources file name, number of entries) per embedded .resources file.</summary>
    public List<(string Name, uint Count)> Files { get; } = new();

    public static string FileName(EmbeddedResource resource) => Path.ChangeExtension(resource.Name, ".nanoresources");

    internal static ResourceTables Build(ModuleDefinition module, StringTable strings)
    {
        var result = new ResourceTables();
        var entries = new SortedDictionary<short, (byte Kind, byte[] Bytes)>();
        foreach (var resource in module.Resources.OfType<EmbeddedResource>())
        {
            uint count = 0;
            ResourceReader reader;
            try
            {
                reader = new ResourceReader(resource.GetResourceStream());
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or IOException)
            {
                throw new PeLimitException(resource.Name, "embedded resource is not a .resources file; nanoCLR only loads resources converted from .resources/.resx");
            }

            using (reader)
            {
                foreach (DictionaryEntry entry in reader)
                {
                    var name = entry.Key.ToString()!;
                    reader.GetResourceData(name, out var type, out var data);
                    var (kind, bytes) = Convert(resource.Name + "/" + name, type, data);
                    var id = IdFromName(name);
                    if (!entries.TryAdd(id, (kind, bytes)))
                    {
                        throw new PeLimitException(resource.Name + "/" + name, $"resource id 0x{id:X4} collides with another resource name (ids are 16-bit name hashes)");
                    }

                    count++;
                }
            }

            strings.GetOrCreate(FileName(resource));
            result.Files.Add((FileName(resource), count));
        }

        var table = new ByteBuffer();
        var dataTable = new ByteBuffer();
        foreach (var (id, (kind, bytes)) in entries)
        {
            table.U16((ushort)id);
            table.U8(kind);
            table.U8(0); // padding is only used for word-aligned bitmap and font data
            table.U32((uint)dataTable.Length);
            dataTable.Bytes(bytes);
        }

        if (entries.Count > 0)
        {
            table.U16(0x7FFF);
            table.U8(KindNone);
            table.U8(0);
            table.U32((uint)dataTable.Length);
        }

        result.Resources = table.ToArray();
        result.Data = dataTable.ToArray();
        return result;
    }

    internal byte[] FilesTable(StringTable strings)
    {
        var b = new ByteBuffer();
        uint offset = 0;
        foreach (var (name, count) in Files)
        {
            b.U32(2); // CLR_RECORD_RESOURCE_FILE::CURRENT_VERSION
            b.U32(4); // size of header
            b.U32(8); // size of resource header (CLR_RECORD_RESOURCE)
            b.U32(count);
            b.U16(strings.GetOrCreate(name));
            b.U16(0);
            b.U32(offset);
            offset += 8; // the official tool advances by one record per file
        }

        return b.ToArray();
    }

    private static (byte Kind, byte[] Bytes) Convert(string name, string type, byte[] data)
    {
        if (type.EndsWith(".String", StringComparison.Ordinal))
        {
            // 7-bit encoded length, then UTF-8 text; stored zero terminated. (The official tool
            // assumes a 2-byte prefix from length 127 up, which misreads exactly 127.)
            int skip = data[0] < 0x80 ? 1 : data[1] < 0x80 ? 2 : 3;
            return (KindString, data.Skip(skip).Append((byte)0).ToArray());
        }

        if (data.Length >= 8)
        {
            var payload = data.AsSpan(4);
            bool bitmap = payload.StartsWith("BM"u8) || payload.StartsWith(new byte[] { 0xFF, 0xD8 }) || payload.StartsWith("GIF8"u8);
            if (bitmap)
            {
                throw new PeLimitException(name, "bitmap resources need nanoFramework's bitmap converter, which this writer does not implement");
            }

            if (BinaryPrimitives.ReadUInt32LittleEndian(data) > 4 && BinaryPrimitives.ReadUInt32LittleEndian(payload) == FontHeaderMagic)
            {
                throw new PeLimitException(name, "font resources need nanoFramework's font converter, which this writer does not implement");
            }
        }

        if (data.Length < 4)
        {
            throw new PeLimitException(name, $"resource of type {type} has no binary payload");
        }

        // byte arrays and streams: 32-bit length prefix, then the bytes
        return (KindBinary, data.Skip(4).ToArray());
    }

    /// <summary>Resource id: two interleaved djb2-style hashes folded to 16 bits (metadata processor nanoResourcesTable).</summary>
    public static short IdFromName(string value)
    {
        unchecked
        {
            int hash1 = (5381 << 16) + 5381;
            int hash2 = hash1;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (i % 2 == 0)
                {
                    hash1 = ((hash1 << 5) + hash1) ^ c;
                }
                else
                {
                    hash2 = ((hash2 << 5) + hash2) ^ c;
                }
            }

            int hash = hash1 + (hash2 * 1566083941);
            return (short)((short)(hash >> 16) ^ (short)hash);
        }
    }
}
