using System.Buffers.Binary;
using System.Text;
using OneBit.Conversion.Mat;

namespace OneBit.Conversion.Tests;

/// <summary>Handcrafted MAT files (byte by byte) and writer → reader round trips of cells, structs, char and logical arrays.</summary>
public class MatRoundTripTests
{
    /// <summary>A MAT v5 file assembled by hand, little- or big-endian.</summary>
    internal sealed class HandMat
    {
        readonly bool _big;
        readonly List<byte> _b = new();
        public HandMat(bool big = false, ushort version = 0x0100)
        {
            _big = big;
            var text = Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, handcrafted".PadRight(116));
            _b.AddRange(text);
            _b.AddRange(new byte[8]);
            _b.AddRange(U16(version));
            _b.AddRange(big ? "MI"u8.ToArray() : "IM"u8.ToArray());
        }
        public byte[] U16(ushort v) { var a = new byte[2]; if (_big) BinaryPrimitives.WriteUInt16BigEndian(a, v); else BinaryPrimitives.WriteUInt16LittleEndian(a, v); return a; }
        public byte[] U32(uint v) { var a = new byte[4]; if (_big) BinaryPrimitives.WriteUInt32BigEndian(a, v); else BinaryPrimitives.WriteUInt32LittleEndian(a, v); return a; }
        public byte[] Element(uint type, byte[] data, bool small = false)
        {
            var r = new List<byte>();
            if (small)
            {
                r.AddRange(U32(((uint)data.Length << 16) | type));
                r.AddRange(data); while (r.Count < 8) r.Add(0);
                return r.ToArray();
            }
            r.AddRange(U32(type)); r.AddRange(U32((uint)data.Length)); r.AddRange(data);
            while (r.Count % 8 != 0) r.Add(0);
            return r.ToArray();
        }
        public byte[] Flags(uint cls, uint flags = 0) => Element(6, U32(cls | flags << 8).Concat(U32(0)).ToArray());
        public byte[] Dims(params int[] d) => Element(5, d.SelectMany(x => U32((uint)x)).ToArray());
        public byte[] Name(string n, bool small = false) => Element(1, Encoding.ASCII.GetBytes(n), small);
        public byte[] Matrix(params byte[][] parts) => Element(14, parts.SelectMany(p => p).ToArray());
        public HandMat Add(byte[] element) { _b.AddRange(element); return this; }
        public byte[] ToArray() => _b.ToArray();
    }

    [Fact]
    public void HandcraftedLittleEndian_DoubleWithSmallElementName_AndUInt8StoredDouble()
    {
        var m = new HandMat();
        var x = m.Matrix(m.Flags(6), m.Dims(1, 3), m.Name("x", small: true),
            m.Element(9, BitConverter.GetBytes(1.5).Concat(BitConverter.GetBytes(-2.0)).Concat(BitConverter.GetBytes(1e300)).ToArray()));
        // MATLAB stores integer-valued doubles in the smallest type that holds them: class double, data miUINT8.
        var y = m.Matrix(m.Flags(6), m.Dims(2, 2), m.Name("yy"), m.Element(2, new byte[] { 1, 2, 3, 250 }, small: true));
        var f = MatFile.Read(m.Add(x).Add(y).ToArray());
        Assert.Equal(new[] { "x", "yy" }, f.Variables.Select(v => v.Name));
        var xa = Assert.IsType<MatNumericArray>(f["x"]);
        Assert.Equal(new[] { 1.5, -2.0, 1e300 }, (double[])xa.Data);
        var ya = Assert.IsType<MatNumericArray>(f["yy"]);
        Assert.Equal(MatClass.Double, ya.Class);
        Assert.Equal(new double[] { 1, 2, 3, 250 }, (double[])ya.Data);
        Assert.Equal(2.0, ya.At(1, 0));      // column-major: (1,0) is the second stored value
        Assert.Equal(3.0, ya.At(0, 1));
        Assert.Equal(3, ya.LinearIndex(1, 1));
    }

    [Fact]
    public void HandcraftedBigEndian_Int16Char()
    {
        var m = new HandMat(big: true);
        var a = m.Matrix(m.Flags(10), m.Dims(1, 2), m.Name("a"), m.Element(3, new byte[] { 0x80, 0x01, 0x00, 0x7F }, small: true));
        var s = m.Matrix(m.Flags(4), m.Dims(1, 3), m.Name("s"), m.Element(4, new byte[] { 0, (byte)'a', 0, (byte)'b', 0, (byte)'c' }));
        var f = MatFile.Read(m.Add(a).Add(s).ToArray());
        Assert.True(f.IsBigEndian);
        Assert.Equal(new short[] { unchecked((short)0x8001), 0x007F }, (short[])((MatNumericArray)f["a"]).Data);
        Assert.Equal("abc", ((MatCharArray)f["s"]).Text);
    }

    static MatArray[] Sample()
    {
        var inner = new MatStructArray("", new[] { 1, 2 }, new[] { "id", "tag" },
            new MatNumericArray("", new[] { 1, 1 }, new double[] { 7 }), new MatCharArray("", "first"),
            new MatNumericArray("", new[] { 1, 1 }, new double[] { 8 }), new MatCharArray("", "second"));
        return new MatArray[]
        {
            new MatNumericArray("mask", new[] { 2, 3 }, new byte[] { 1, 0, 0, 1, 1, 0 }, isLogical: true),
            new MatCharArray("title", "1-bit WRN ✓"),
            new MatCharArray("rows", new[] { 2, 3 }, "adbecf"),
            new MatNumericArray("w", new[] { 3, 3, 2, 4 }, Enumerable.Range(0, 72).Select(i => (float)(i * 0.25 - 3)).ToArray()),
            new MatNumericArray("i64", new[] { 1, 3 }, new long[] { long.MinValue, 0, long.MaxValue }),
            new MatNumericArray("u64", new[] { 1, 2 }, new ulong[] { ulong.MaxValue, 5 }),
            new MatNumericArray("ints", new[] { 1, 4 }, new double[] { 0, 1, 2, 255 }),
            new MatNumericArray("empty", new[] { 0, 0 }, Array.Empty<double>()),
            new MatCellArray("cells", new[] { 2, 2 },
                new MatNumericArray("", new[] { 1, 1 }, new sbyte[] { -5 }),
                new MatCharArray("", "brw"),
                new MatCellArray("", new[] { 1, 1 }, new MatNumericArray("", new[] { 1, 2 }, new ushort[] { 1, 65535 })),
                inner),
            new MatStructArray("Training", new[] { 1, 1 }, new[] { "BatchSize", "Name", "Flags" },
                new MatNumericArray("", new[] { 1, 1 }, new double[] { 125 }),
                new MatCharArray("", "cutout"),
                new MatNumericArray("", new[] { 1, 2 }, new byte[] { 1, 0 }, isLogical: true)),
        };
    }

    public static IEnumerable<object[]> Layouts()
    {
        foreach (bool compress in new[] { false, true })
            foreach (bool big in new[] { false, true })
                foreach (bool small in new[] { false, true })
                    yield return new object[] { compress, big, small, compress ^ small, !small };
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WriterToReader_RoundTripsCellsStructsCharLogical(bool compress, bool big, bool small, bool utf8, bool narrow)
    {
        var o = new MatWriterOptions { Compress = compress, BigEndian = big, SmallElements = small, CharAsUtf8 = utf8, NarrowIntegerDoubles = narrow };
        var f = MatFile.Read(MatWriter.Write(Sample(), o));
        Assert.Equal(big, f.IsBigEndian);
        Assert.Equal(Sample().Select(v => v.Name), f.Variables.Select(v => v.Name));

        var mask = Assert.IsType<MatNumericArray>(f["mask"]);
        Assert.True(mask.IsLogical);
        Assert.Equal(new byte[] { 1, 0, 0, 1, 1, 0 }, (byte[])mask.Data);
        Assert.Equal(1.0, mask.At(1, 1));

        Assert.Equal("1-bit WRN ✓", ((MatCharArray)f["title"]).Text);
        Assert.Equal(new[] { "abc", "def" }, ((MatCharArray)f["rows"]).Rows);

        var w = (MatNumericArray)f["w"];
        Assert.Equal(new[] { 3, 3, 2, 4 }, w.Dimensions);
        Assert.Equal(MatClass.Single, w.Class);
        Assert.Equal(w.LinearIndex(2, 1, 1, 3) * 0.25 - 3, w.At(2, 1, 1, 3));

        Assert.Equal(new[] { long.MinValue, 0, long.MaxValue }, (long[])((MatNumericArray)f["i64"]).Data);
        Assert.Equal(new[] { ulong.MaxValue, 5UL }, (ulong[])((MatNumericArray)f["u64"]).Data);
        Assert.Equal(new double[] { 0, 1, 2, 255 }, (double[])((MatNumericArray)f["ints"]).Data);
        Assert.Equal(0, f["empty"].Count);

        var cells = Assert.IsType<MatCellArray>(f["cells"]);
        Assert.Equal(-5.0, ((MatNumericArray)cells[0])[0]);
        Assert.Equal("brw", ((MatCharArray)cells[1]).Text);
        var nested = Assert.IsType<MatCellArray>(cells[2]);
        Assert.Equal(new ushort[] { 1, 65535 }, (ushort[])((MatNumericArray)nested[0]).Data);
        var st = Assert.IsType<MatStructArray>(cells[3]);
        Assert.Equal(new[] { "id", "tag" }, st.FieldNames);
        Assert.Equal(8.0, ((MatNumericArray)st.Get("id", 1)).Scalar);
        Assert.Equal("first", ((MatCharArray)st.Get("tag", 0)).Text);

        var tr = Assert.IsType<MatStructArray>(f["Training"]);
        Assert.Equal(125.0, ((MatNumericArray)tr.Get("BatchSize")).Scalar);
        Assert.Equal("cutout", ((MatCharArray)tr.Get("Name")).Text);
        Assert.True(((MatNumericArray)tr.Get("Flags")).IsLogical);
        Assert.Throws<KeyNotFoundException>(() => tr.Get("Missing"));
    }

    [Fact]
    public void LinearIndex_IsColumnMajor_AndChecksBounds()
    {
        var a = new MatNumericArray("a", new[] { 2, 3, 4 }, new double[24]);
        Assert.Equal(0, a.LinearIndex(0, 0, 0));
        Assert.Equal(1, a.LinearIndex(1, 0, 0));
        Assert.Equal(2, a.LinearIndex(0, 1, 0));
        Assert.Equal(6, a.LinearIndex(0, 0, 1));
        Assert.Equal(23, a.LinearIndex(1, 2, 3));
        Assert.Equal(23, a.LinearIndex(1, 2, 3, 0));   // trailing singleton
        Assert.Throws<ArgumentOutOfRangeException>(() => a.LinearIndex(2, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.LinearIndex(0, 0, 0, 1));
    }
}
