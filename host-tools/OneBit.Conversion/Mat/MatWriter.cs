using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace OneBit.Conversion.Mat;

/// <summary>How <see cref="MatWriter"/> lays out a file (the variations real writers use, so tests can cover them).</summary>
public sealed class MatWriterOptions
{
    /// <summary>Write each variable as an miCOMPRESSED element (MATLAB -v7 default).</summary>
    public bool Compress { get; init; }
    /// <summary>Write big-endian ('MI').</summary>
    public bool BigEndian { get; init; }
    /// <summary>Use the 4-byte small data element format for data of 1–4 bytes (MATLAB does, scipy does not).</summary>
    public bool SmallElements { get; init; } = true;
    /// <summary>Store chars as miUTF8 (scipy) instead of miUINT16 (MATLAB).</summary>
    public bool CharAsUtf8 { get; init; }
    /// <summary>Store double arrays whose values are all integers 0..255 as miUINT8, as MATLAB does to save space.</summary>
    public bool NarrowIntegerDoubles { get; init; }
    public string HeaderText { get; init; } = "MATLAB 5.0 MAT-file, written by OneBit.Conversion";
}

/// <summary>
/// A small MAT v5 writer (numeric, logical, char, cell and struct arrays), the inverse of
/// <see cref="MatFile.Read(byte[], MatReaderOptions?)"/>; used to make test files and exports.
/// </summary>
public static class MatWriter
{
    public static byte[] Write(IEnumerable<MatArray> variables, MatWriterOptions? options = null)
    {
        options ??= new MatWriterOptions();
        var w = new ElementWriter(options.BigEndian);
        var header = new byte[128];
        var text = Encoding.ASCII.GetBytes(options.HeaderText);
        for (int i = 0; i < 116; i++) header[i] = i < text.Length ? text[i] : (byte)' ';
        // subsystem offset: zeros (none)
        if (options.BigEndian) { BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(124), 0x0100); header[126] = (byte)'M'; header[127] = (byte)'I'; }
        else { BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), 0x0100); header[126] = (byte)'I'; header[127] = (byte)'M'; }
        w.Raw(header);
        foreach (var v in variables)
        {
            var inner = new ElementWriter(options.BigEndian);
            inner.Matrix(v, v.Name, options);
            byte[] element = inner.ToArray();
            if (options.Compress)
            {
                using var ms = new MemoryStream();
                using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(element);
                byte[] c = ms.ToArray();
                w.U32((uint)MatDataType.Compressed);
                w.U32((uint)c.Length);
                w.Raw(c);   // no padding after compressed elements
            }
            else w.Raw(element);
        }
        return w.ToArray();
    }

    sealed class ElementWriter(bool big)
    {
        readonly MemoryStream _ms = new();

        public byte[] ToArray() => _ms.ToArray();
        public void Raw(ReadOnlySpan<byte> b) => _ms.Write(b);

        public void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            if (big) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            _ms.Write(b);
        }

        void Pad()
        {
            while (_ms.Length % 8 != 0) _ms.WriteByte(0);
        }

        public void Element(MatDataType type, ReadOnlySpan<byte> data, bool small)
        {
            if (small && data.Length <= 4 && data.Length > 0)
            {
                U32(((uint)data.Length << 16) | (uint)type);
                Span<byte> four = stackalloc byte[4];
                four.Clear();
                data.CopyTo(four);
                _ms.Write(four);
                return;
            }
            U32((uint)type);
            U32((uint)data.Length);
            _ms.Write(data);
            Pad();
        }

        byte[] Encode(Array data, MatDataType storage)
        {
            int es = MatTypeInfo.ElementSize(storage);
            var bytes = new byte[data.Length * es];
            for (int i = 0; i < data.Length; i++)
            {
                var s = bytes.AsSpan(i * es, es);
                switch (data)
                {
                    case double[] d when storage == MatDataType.UInt8: s[0] = (byte)d[i]; break;
                    case double[] d: if (big) BinaryPrimitives.WriteDoubleBigEndian(s, d[i]); else BinaryPrimitives.WriteDoubleLittleEndian(s, d[i]); break;
                    case float[] f: if (big) BinaryPrimitives.WriteSingleBigEndian(s, f[i]); else BinaryPrimitives.WriteSingleLittleEndian(s, f[i]); break;
                    case sbyte[] x: s[0] = (byte)x[i]; break;
                    case byte[] x: s[0] = x[i]; break;
                    case short[] x: if (big) BinaryPrimitives.WriteInt16BigEndian(s, x[i]); else BinaryPrimitives.WriteInt16LittleEndian(s, x[i]); break;
                    case ushort[] x: if (big) BinaryPrimitives.WriteUInt16BigEndian(s, x[i]); else BinaryPrimitives.WriteUInt16LittleEndian(s, x[i]); break;
                    case int[] x: if (big) BinaryPrimitives.WriteInt32BigEndian(s, x[i]); else BinaryPrimitives.WriteInt32LittleEndian(s, x[i]); break;
                    case uint[] x: if (big) BinaryPrimitives.WriteUInt32BigEndian(s, x[i]); else BinaryPrimitives.WriteUInt32LittleEndian(s, x[i]); break;
                    case long[] x: if (big) BinaryPrimitives.WriteInt64BigEndian(s, x[i]); else BinaryPrimitives.WriteInt64LittleEndian(s, x[i]); break;
                    case ulong[] x: if (big) BinaryPrimitives.WriteUInt64BigEndian(s, x[i]); else BinaryPrimitives.WriteUInt64LittleEndian(s, x[i]); break;
                }
            }
            return bytes;
        }

        static MatDataType Natural(Array data) => data switch
        {
            double[] => MatDataType.Double, float[] => MatDataType.Single, sbyte[] => MatDataType.Int8, byte[] => MatDataType.UInt8,
            short[] => MatDataType.Int16, ushort[] => MatDataType.UInt16, int[] => MatDataType.Int32, uint[] => MatDataType.UInt32,
            long[] => MatDataType.Int64, _ => MatDataType.UInt64,
        };

        /// <summary>A complete miMATRIX element (tag included).</summary>
        public void Matrix(MatArray a, string name, MatWriterOptions o)
        {
            var body = new ElementWriter(big);
            uint flags = (uint)a.Class;
            if (a.IsGlobal) flags |= 0x400;
            if (a is MatNumericArray { IsLogical: true }) flags |= 0x200;
            var fl = new byte[8];
            if (big) BinaryPrimitives.WriteUInt32BigEndian(fl, flags); else BinaryPrimitives.WriteUInt32LittleEndian(fl, flags);
            body.Element(MatDataType.UInt32, fl, false);
            body.Element(MatDataType.Int32, Encode(a.Dimensions.ToArray(), MatDataType.Int32), o.SmallElements);
            body.Element(MatDataType.Int8, Encoding.UTF8.GetBytes(name), o.SmallElements);
            switch (a)
            {
                case MatNumericArray n:
                    var storage = Natural(n.Data);
                    if (o.NarrowIntegerDoubles && n.Data is double[] d && d.All(v => v >= 0 && v <= 255 && v == Math.Floor(v)))
                        storage = MatDataType.UInt8;
                    body.Element(storage, Encode(n.Data, storage), o.SmallElements);
                    break;
                case MatCharArray c:
                    if (o.CharAsUtf8) body.Element(MatDataType.Utf8, Encoding.UTF8.GetBytes(c.Chars), o.SmallElements);
                    else body.Element(MatDataType.UInt16, Encode(c.Chars.Select(ch => (ushort)ch).ToArray(), MatDataType.UInt16), o.SmallElements);
                    break;
                case MatCellArray cell:
                    foreach (var x in cell.Cells) body.Matrix(x, "", o);
                    break;
                case MatStructArray s:
                    int len = Math.Max(1, s.FieldNames.Max(f => (int?)Encoding.UTF8.GetByteCount(f)) ?? 0) + 1;
                    body.Element(MatDataType.Int32, Encode(new[] { len }, MatDataType.Int32), true);
                    var names = new byte[len * s.FieldNames.Count];
                    for (int f = 0; f < s.FieldNames.Count; f++) Encoding.UTF8.GetBytes(s.FieldNames[f]).CopyTo(names, f * len);
                    body.Element(MatDataType.Int8, names, o.SmallElements);
                    foreach (var x in s.Values) body.Matrix(x, "", o);
                    break;
                default:
                    throw new NotSupportedException($"cannot write {a.Class}");
            }
            byte[] bytes = body.ToArray();
            U32((uint)MatDataType.Matrix);
            U32((uint)bytes.Length);
            Raw(bytes);
        }
    }
}
