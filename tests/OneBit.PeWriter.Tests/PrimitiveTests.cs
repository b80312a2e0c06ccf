using Xunit;

namespace OneBit.PeWriter.Tests;

public class PrimitiveTests
{
    [Fact]
    public void Crc_is_the_msb_first_0x04C11DB7_crc_with_zero_seed()
    {
        // same polynomial and bit order as CRC-32/MPEG-2, whose catalogue check value uses seed 0xFFFFFFFF
        Assert.Equal(0x0376E6E7u, Crc32Mpeg2.Compute("123456789"u8, 0xFFFFFFFF));
        Assert.Equal(0u, Crc32Mpeg2.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Rom_strings_use_their_well_known_ids()
    {
        var table = new StringTable();
        Assert.Equal(0xFFFF, table.GetOrCreate(".cctor"));
        Assert.Equal(0xFFFE, table.GetOrCreate(".ctor"));
        Assert.Equal(0, table.GetOrCreate(string.Empty));
        Assert.Equal(1, table.GetOrCreate("Fixture"));
        Assert.Equal(9, table.GetOrCreate("Other"));
        Assert.Equal(860, WellKnownStrings.Count);
        Assert.Equal(".ctor", table.Lookup(0xFFFE));
    }

    [Fact]
    public void Signatures_reuse_earlier_bytes_except_at_the_very_end()
    {
        var table = new SignatureTable();
        Assert.Equal(0, table.GetOrCreate(new byte[] { 1, 2, 3, 4 }, "a"));
        Assert.Equal(1, table.GetOrCreate(new byte[] { 2, 3 }, "b")); // found inside
        Assert.Equal(4, table.GetOrCreate(new byte[] { 3, 4 }, "c")); // last position is not searched (official tool)
        Assert.Equal(0, table.GetOrCreate(new byte[] { 1, 2, 3, 4 }, "a2"));
        Assert.Equal(6, table.Size);
    }

    [Fact]
    public void Compressed_tokens_use_one_two_or_four_bytes()
    {
        var b = new ByteBuffer();
        b.CompressedToken(0x7F);
        b.CompressedToken(0x80);
        b.CompressedToken(0x4000);
        Assert.Equal(new byte[] { 0x7F, 0x80, 0x80, 0xC0, 0x00, 0x40, 0x00 }, b.ToArray());
    }

    [Fact]
    public void Diff_report_names_the_first_differing_table()
    {
        var expected = File.ReadAllBytes(Path.Combine(OracleTests.OracleDir, "mscorlib.pe"));
        var layout = PeLayout.Parse(expected);
        var corrupted = (byte[])expected.Clone();
        corrupted[layout.Starts[(int)PeTable.Signatures] + 5] ^= 0xFF;
        var report = Diff.Report(expected, corrupted);
        Assert.Contains("first differing table: Signatures, at 0x5 into it", report);
        Assert.Contains("images identical", Diff.Report(expected, expected));
    }

    [Fact]
    public void Layout_names_the_table_of_an_offset()
    {
        var bytes = File.ReadAllBytes(Path.Combine(OracleTests.OracleDir, "mscorlib.pe"));
        var layout = PeLayout.Parse(bytes);
        Assert.StartsWith("header.headerCRC", layout.Describe(9));
        Assert.StartsWith("TypeDef table", layout.Describe(layout.Starts[(int)PeTable.TypeDef] + 25));
        Assert.Contains("row 1 byte 1", layout.Describe(layout.Starts[(int)PeTable.TypeDef] + 25));
        Assert.StartsWith("Strings table", layout.Describe(layout.Starts[(int)PeTable.Strings]));
    }
}
