using System.Buffers.Binary;
using OneBit.Conversion.Mat;
using static OneBit.Conversion.Tests.MatRoundTripTests;

namespace OneBit.Conversion.Tests;

/// <summary>
/// Hostile and broken MAT files: every one must end in a MatFormatException that says what and where,
/// never in an index/overflow/out-of-memory exception, and never allocate what the data cannot back.
/// </summary>
public class MatMalformedInputTests
{
    static MatArray[] Vars() => new MatArray[]
    {
        new MatNumericArray("a", new[] { 2, 3 }, new double[] { 1, 2, 3, 4, 5, 6 }),
        new MatCellArray("c", new[] { 1, 3 },
            new MatCharArray("", "brw"),
            new MatNumericArray("", new[] { 1, 2 }, new byte[] { 1, 0 }, isLogical: true),
            new MatStructArray("", new[] { 1, 1 }, new[] { "k", "name" },
                new MatNumericArray("", new[] { 1, 1 }, new float[] { 2.5f }), new MatCharArray("", "x"))),
        new MatNumericArray("w", new[] { 3, 3, 2, 2 }, Enumerable.Range(0, 36).Select(i => (byte)(i & 1)).ToArray()),
    };

    static MatFormatException Rejects(byte[] bytes)
    {
        try
        {
            MatFile.Read(bytes);
        }
        catch (MatFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return e;
        }
        catch (Exception e)
        {
            Assert.Fail($"expected MatFormatException, got {e.GetType().Name}: {e.Message}");
        }
        Assert.Fail("expected MatFormatException, the file was accepted");
        return null;
    }

    /// <summary>Reads or rejects cleanly; anything else fails.</summary>
    static void ReadsOrRejectsCleanly(byte[] bytes, string what)
    {
        try { MatFile.Read(bytes); }
        catch (MatFormatException) { }
        catch (Exception e) { Assert.Fail($"{what}: {e.GetType().Name}: {e.Message}"); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedAtEveryOffset_IsRejected_UnlessAtAnElementBoundary(bool compress)
    {
        var o = new MatWriterOptions { Compress = compress };
        var vars = Vars();
        byte[] full = MatWriter.Write(vars, o);
        var boundaries = Enumerable.Range(0, vars.Length + 1).Select(k => MatWriter.Write(vars.Take(k), o).Length).ToHashSet();
        for (int len = 0; len < full.Length; len++)
        {
            var cut = full.AsSpan(0, len).ToArray();
            if (boundaries.Contains(len))
            {
                Assert.Equal(boundaries.Count(b => b <= len) - 1, MatFile.Read(cut).Variables.Count);
                continue;
            }
            var e = Rejects(cut);
            if (len < 128) Assert.Contains("header", e.Message);
            else Assert.Matches("truncated|decompression|bad size|remain", e.Message);
            Assert.Contains("offset", e.Message);
        }
    }

    [Fact]
    public void PublishedFile_TruncatedAnywhere_IsRejectedWithOffsetAndVariable()
    {
        byte[] full = File.ReadAllBytes(MatTestSupport.Model(MatTestSupport.MatlabCifar10));
        var rng = new Random(1234);
        var offsets = Enumerable.Range(0, 12).Select(_ => rng.Next(129, full.Length - 1)).Append(full.Length - 1).Append(130).ToList();
        foreach (int len in offsets)
        {
            var e = Rejects(full.AsSpan(0, len).ToArray());
            Assert.Contains("byte offset", e.Message);
            Assert.True(e.FileOffset >= 128 && e.FileOffset < len, $"offset {e.FileOffset} for a cut at {len}: {e.Message}");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void EveryByteFlipped_ReadsOrIsRejectedCleanly(bool compress, bool big)
    {
        byte[] full = MatWriter.Write(Vars(), new MatWriterOptions { Compress = compress, BigEndian = big });
        foreach (byte mask in new byte[] { 0xFF, 0x80, 0x01, 0x40 })
            for (int i = 0; i < full.Length; i++)
            {
                var m = (byte[])full.Clone();
                m[i] ^= mask;
                ReadsOrRejectsCleanly(m, $"byte {i} ^ 0x{mask:X2}");
            }
    }

    [Fact]
    public void RandomMutants_ReadOrAreRejectedCleanly()
    {
        byte[] plain = MatWriter.Write(Vars(), new MatWriterOptions { SmallElements = true });
        byte[] packed = MatWriter.Write(Vars(), new MatWriterOptions { Compress = true });
        var rng = new Random(42);
        for (int n = 0; n < 3000; n++)
        {
            var m = (byte[])(n % 2 == 0 ? plain : packed).Clone();
            int edits = 1 + rng.Next(4);
            for (int k = 0; k < edits; k++)
            {
                int p = 128 + rng.Next(m.Length - 128);
                switch (rng.Next(3))
                {
                    case 0: m[p] = (byte)rng.Next(256); break;
                    case 1: if (p + 4 <= m.Length) BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(p), (uint)rng.Next()); break;
                    default: if (p + 4 <= m.Length) BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(p), 0xFFFFFFF8u); break;
                }
            }
            ReadsOrRejectsCleanly(m, $"mutant {n}");
        }
    }

    [Fact]
    public void BadHeaders_AreRejected()
    {
        Assert.Contains("header", Rejects(new byte[10]).Message);
        var good = MatWriter.Write(Vars());
        var noEndian = (byte[])good.Clone(); noEndian[126] = (byte)'X';
        Assert.Contains("endian indicator", Rejects(noEndian).Message);
        var v73 = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16LittleEndian(v73.AsSpan(124), 0x0200);
        Assert.Contains("HDF5", Rejects(v73).Message);
        var badVersion = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16LittleEndian(badVersion.AsSpan(124), 0x0300);
        Assert.Contains("version", Rejects(badVersion).Message);
        var v4 = (byte[])good.Clone(); v4[0] = v4[1] = v4[2] = v4[3] = 0;
        Assert.Contains("v4", Rejects(v4).Message);
    }

    [Fact]
    public void BadTags_AreRejected()
    {
        var m = new HandMat();
        Assert.Contains("unknown data element type 99", Rejects(new HandMat().Add(m.Element(99, new byte[8])).ToArray()).Message);
        Assert.Contains("expected miMATRIX", Rejects(new HandMat().Add(m.Element(1, new byte[8])).ToArray()).Message);
        // Small element that claims 7 bytes.
        Assert.Contains("at most 4", Rejects(new HandMat().Add(m.U32(7u << 16 | 2)).Add(new byte[4]).ToArray()).Message);
        // Array flags of the wrong type.
        var e = Rejects(new HandMat().Add(m.Matrix(m.Element(5, new byte[8]), m.Dims(1, 1), m.Name("v"), m.Element(9, new byte[8]))).ToArray());
        Assert.Contains("array flags", e.Message);
        Assert.Equal(128 + 8, e.FileOffset);
        // Dimensions as doubles.
        Assert.Contains("dimensions", Rejects(new HandMat().Add(m.Matrix(m.Flags(6), m.Element(9, new byte[16]), m.Name("v"), m.Element(9, new byte[8]))).ToArray()).Message);
        // Real part whose type is miMATRIX.
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(6), m.Dims(1, 1), m.Name("v"), m.Element(14, new byte[8]))).ToArray());
        Assert.Contains("'v'", e.Message);
        Assert.Equal("v", e.VariableName);
    }

    [Fact]
    public void HugeSizes_AreRejectedBeforeAllocating()
    {
        var m = new HandMat();
        // Top-level tag claiming 4 GB.
        var e = Rejects(new HandMat().Add(m.U32(14)).Add(m.U32(0xFFFFFFF0)).Add(new byte[16]).ToArray());
        Assert.Contains("declares 4294967280 bytes", e.Message);
        Assert.Contains("byte offset 128", e.Message);
        // 100000 x 100000 doubles with 8 bytes of data.
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(6), m.Dims(100000, 100000), m.Name("big"), m.Element(9, new byte[8]))).ToArray());
        Assert.Contains("bad dimensions", e.Message);
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(6), m.Dims(1000, 1000), m.Name("big"), m.Element(9, new byte[8]))).ToArray());
        Assert.Contains("holds 1 elements", e.Message);
        Assert.Contains("'big'", e.Message);
        // A cell array of 2^30 cells in 16 bytes.
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(1), m.Dims(1 << 15, 1 << 15), m.Name("cells"), new byte[16])).ToArray());
        Assert.Contains("only room for 2", e.Message);
        // A struct with 2^20 elements x 2 fields.
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(2), m.Dims(1024, 1024), m.Name("s"), m.Element(5, m.U32(8), small: true),
            m.Element(1, "aaaaaaa\0bbbbbbb\0"u8.ToArray()))).ToArray());
        Assert.Contains("field values", e.Message);
        // Negative dimension.
        Assert.Contains("dimension 1 is -5", Rejects(new HandMat().Add(m.Matrix(m.Flags(6), m.Dims(1, -5), m.Name("n"))).ToArray()).Message);
        // Deep nesting: 200 cells inside each other.
        byte[] inner = m.Matrix(m.Flags(6), m.Dims(0, 0), m.Name(""));
        for (int i = 0; i < 200; i++) inner = m.Matrix(m.Flags(1), m.Dims(1, 1), m.Name(""), inner);
        Assert.Contains("nested", Rejects(new HandMat().Add(inner).ToArray()).Message);
    }

    [Fact]
    public void CompressedElements_BadZlibAndLyingSizes_AreRejected()
    {
        var m = new HandMat();
        var e = Rejects(new HandMat().Add(m.U32(15)).Add(m.U32(16)).Add(Enumerable.Repeat((byte)0xAB, 16).ToArray()).ToArray());
        Assert.Contains("decompression failure", e.Message);
        Assert.Equal(128, e.FileOffset);

        // A valid zlib stream whose inner miMATRIX tag claims 3 GB.
        byte[] lie = m.U32(14).Concat(m.U32(3_000_000_000)).Concat(new byte[64]).ToArray();
        byte[] z = Zlib(lie);
        e = Rejects(new HandMat().Add(m.U32(15)).Add(m.U32((uint)z.Length)).Add(z).ToArray());
        Assert.Contains("decompression failure", e.Message);
        Assert.Contains("claims 3000000000", e.Message);

        // Inner tag claims more than the stream holds (within the ratio cap).
        lie = m.U32(14).Concat(m.U32(4000)).Concat(new byte[64]).ToArray();
        z = Zlib(lie);
        e = Rejects(new HandMat().Add(m.U32(15)).Add(m.U32((uint)z.Length)).Add(z).ToArray());
        Assert.Contains("ended after 64 of the 4000 bytes", e.Message);

        // A compressed element holding a non-matrix element.
        z = Zlib(m.Element(1, new byte[8]));
        Assert.Contains("must hold an miMATRIX", Rejects(new HandMat().Add(m.U32(15)).Add(m.U32((uint)z.Length)).Add(z).ToArray()).Message);

        // Corruption inside a real compressed variable: the message names the element offset.
        byte[] good = MatWriter.Write(Vars(), new MatWriterOptions { Compress = true });
        var bad = (byte[])good.Clone();
        for (int i = 140; i < 150; i++) bad[i] ^= 0x5A;
        e = Rejects(bad);
        Assert.Contains("byte offset 128", e.Message);
        Assert.Equal(128, e.FileOffset);
    }

    static byte[] Zlib(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(ms, System.IO.Compression.CompressionLevel.Fastest, true)) z.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void UnsupportedClasses_AreRejectedByName()
    {
        var m = new HandMat();
        var e = Rejects(new HandMat().Add(m.Matrix(m.Flags(5), m.Dims(3, 3), m.Name("sp"), m.Element(5, new byte[8]))).ToArray());
        Assert.Contains("sparse", e.Message);
        Assert.Equal("sp", e.VariableName);
        e = Rejects(new HandMat().Add(m.Matrix(m.Flags(6, 0x08), m.Dims(1, 1), m.Name("z"), m.Element(9, new byte[8]), m.Element(9, new byte[8]))).ToArray());
        Assert.Contains("complex", e.Message);
        Assert.Contains("'z'", e.Message);
        Assert.Contains("function", Rejects(new HandMat().Add(m.Matrix(m.Flags(16), m.Dims(1, 1), m.Name("fh"))).ToArray()).Message.ToLowerInvariant());
        Assert.Contains("object", Rejects(new HandMat().Add(m.Matrix(m.Flags(3), m.Dims(1, 1), m.Name("o"))).ToArray()).Message.ToLowerInvariant());
        Assert.Contains("unknown array class 40", Rejects(new HandMat().Add(m.Matrix(m.Flags(40), m.Dims(1, 1), m.Name("q"))).ToArray()).Message);
    }
}
