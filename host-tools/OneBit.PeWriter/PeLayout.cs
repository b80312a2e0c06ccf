using System.Buffers.Binary;
using System.Text;

namespace OneBit.PeWriter;

/// <summary>
/// Reads back a .pe header: where each table starts, its size and padding, and which
/// table or header field a byte offset belongs to. Used to report the first difference
/// against a reference image.
/// </summary>
public sealed class PeLayout
{
    private PeLayout(byte[] image)
    {
        Image = image;
        Starts = new uint[16];
        Paddings = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            Starts[i] = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(AssemblyHeader.TablesOffset + 4 * i));
            Paddings[i] = image[AssemblyHeader.PaddingOffset + i];
        }
    }

    public byte[] Image { get; }

    public uint[] Starts { get; }

    public byte[] Paddings { get; }

    public uint HeaderCrc => BinaryPrimitives.ReadUInt32LittleEndian(Image.AsSpan(AssemblyHeader.HeaderCrcOffset));

    public uint AssemblyCrc => BinaryPrimitives.ReadUInt32LittleEndian(Image.AsSpan(AssemblyHeader.AssemblyCrcOffset));

    public uint NativeMethodsChecksum => BinaryPrimitives.ReadUInt32LittleEndian(Image.AsSpan(AssemblyHeader.NativeChecksumOffset));

    public ushort NameStringId => BinaryPrimitives.ReadUInt16LittleEndian(Image.AsSpan(AssemblyHeader.NameOffset));

    public string Marker => Encoding.ASCII.GetString(Image, 0, 6);

    public static PeLayout Parse(byte[] image)
    {
        if (image.Length < AssemblyHeader.Size || Encoding.ASCII.GetString(image, 0, 6) != AssemblyHeader.Marker)
        {
            throw new InvalidDataException("not a nanoFramework .pe image (marker NFMRK1 missing)");
        }

        return new PeLayout(image);
    }

    /// <summary>Size of a table without its padding (CLR_RECORD_ASSEMBLY::SizeOfTable).</summary>
    public int SizeOf(PeTable table) =>
        table == PeTable.EndOfAssembly ? 0 : (int)(Starts[(int)table + 1] - Starts[(int)table] - Paddings[(int)table]);

    public ReadOnlySpan<byte> TableBytes(PeTable table) => Image.AsSpan((int)Starts[(int)table], SizeOf(table));

    /// <summary>Record size of each fixed-size table (nanoCLR_Types.h structs).</summary>
    public static int RecordSize(PeTable table) => table switch
    {
        PeTable.AssemblyRef => 12,
        PeTable.TypeRef => 8,
        PeTable.FieldRef => 8,
        PeTable.MethodRef => 8,
        PeTable.TypeDef => 24,
        PeTable.FieldDef => 8,
        PeTable.MethodDef => 16,
        PeTable.Attributes => 8,
        PeTable.TypeSpec => 4,
        PeTable.Resources => 8,
        PeTable.ResourcesFiles => 24,
        _ => 0,
    };

    public int Count(PeTable table) => RecordSize(table) == 0 ? 0 : SizeOf(table) / RecordSize(table);

    public string Describe(long offset)
    {
        if (offset < AssemblyHeader.Size)
        {
            string field = offset switch
            {
                < 8 => "marker",
                < 0x0C => "headerCRC",
                < 0x10 => "assemblyCRC",
                < 0x14 => "flags",
                < 0x18 => "nativeMethodsChecksum",
                < 0x1C => "patchEntryOffset",
                < 0x24 => "version",
                < 0x26 => "assemblyName",
                < 0x28 => "stringTableVersion",
                < 0x68 => $"startOfTables[{(PeTable)((offset - 0x28) / 4)}]",
                < 0x6C => "numOfPatchedMethods",
                _ => $"paddingOfTables[{(PeTable)(offset - 0x6C)}]",
            };
            return $"header.{field} (offset 0x{offset:X})";
        }

        for (int t = 14; t >= 0; t--)
        {
            if (offset >= Starts[t] && Starts[t] != Starts[t + 1])
            {
                var table = (PeTable)t;
                long within = offset - Starts[t];
                int record = RecordSize(table);
                string row = record > 0 ? $", row {within / record} byte {within % record}" : string.Empty;
                return $"{table} table (offset 0x{offset:X}, 0x{within:X} into the table{row})";
            }
        }

        return $"past the end (offset 0x{offset:X})";
    }

    /// <summary>First differing offset between two images, or -1 when identical.</summary>
    public static long FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return a.Length == b.Length ? -1 : n;
    }
}
