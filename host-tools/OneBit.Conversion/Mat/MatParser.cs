using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace OneBit.Conversion.Mat;

/// <summary>
/// The MAT v5 parser. Every read is bounds-checked against the region being parsed (the file, or the
/// decompressed bytes of one miCOMPRESSED element) before anything is allocated, so hostile input ends
/// in a <see cref="MatFormatException"/> naming the offset and the variable, never in another exception.
///
/// Layout (MathWorks "MAT-File Format", Level 5):
///   header  128 bytes: text[116], subsystem offset u64 @116, version u16 @124, endian 'IM'|'MI' @126
///   element tag: type u32, size u32, data[size], padding to a multiple of 8 (none after miCOMPRESSED);
///            small element: one u32 with size (1..4) in the upper 16 bits and type in the lower 16,
///            then the data in the next 4 bytes (8 bytes in all)
///   miMATRIX data: array flags (miUINT32 ×2: class | flags&lt;&lt;8, nzmax), dimensions (miINT32 ×n),
///            name (miINT8), then per class: real part (numeric), characters (char), numel miMATRIX
///            cells (cell), field-name length + names + numel×nfields miMATRIX values (struct).
/// </summary>
internal sealed class MatParser
{
    const int HeaderSize = 128;
    const int TagSize = 8;
    // zlib's deflate cannot expand data by more than about 1032:1; anything claiming more is not a real stream.
    const long MaxDeflateRatio = 1032;

    readonly bool _big;
    readonly MatReaderOptions _options;
    string? _variable;

    MatParser(bool big, MatReaderOptions options)
    {
        _big = big;
        _options = options;
    }

    /// <summary>A byte region under parse: the file, or one decompressed element (located by its file offset).</summary>
    readonly record struct Region(byte[] Buffer, int Start, int End, long ElementFileOffset, bool Decompressed);

    readonly record struct Tag(MatDataType Type, int Size, int DataStart, int Next, int TagStart);

    public static MatFile Parse(byte[] bytes, MatReaderOptions options)
    {
        if (bytes.Length < HeaderSize)
            throw new MatFormatException($"truncated header: the file has {bytes.Length} bytes, a MAT v5 header needs {HeaderSize}, at byte offset {bytes.Length}", 0);
        if (bytes[0] == 0 || bytes[1] == 0 || bytes[2] == 0 || bytes[3] == 0)
        {
            if (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
                throw new MatFormatException("bad header: the first four bytes are zero (a MAT v4 file, or not a MAT file; only MAT v5 files are supported), at byte offset 0", 0);
        }
        bool big;
        if (bytes[126] == (byte)'I' && bytes[127] == (byte)'M') big = false;
        else if (bytes[126] == (byte)'M' && bytes[127] == (byte)'I') big = true;
        else
            throw new MatFormatException($"bad header: endian indicator at byte offset 126 is 0x{bytes[126]:X2}{bytes[127]:X2}, expected 'IM' or 'MI' (not a MAT v5 file)", 126);
        int version = big ? BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(124)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(124));
        if (version == 0x0200)
            throw new MatFormatException("unsupported: header version 0x0200 at byte offset 124 is a MAT v7.3 (HDF5) file; save it with -v7 or -v6", 124);
        if (version != 0x0100)
            throw new MatFormatException($"bad header: version field at byte offset 124 is 0x{version:X4}, expected 0x0100", 124);
        string text = Encoding.ASCII.GetString(bytes, 0, 116).TrimEnd(' ', '\0');
        ulong subsys = big ? BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(116)) : BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(116));
        if (subsys == 0x2020202020202020UL) subsys = 0;

        var parser = new MatParser(big, options);
        var vars = parser.ParseTopLevel(bytes);
        return new MatFile(text, subsys, version, big, vars) { };
    }

    List<MatArray> ParseTopLevel(byte[] bytes)
    {
        var vars = new List<MatArray>();
        var file = new Region(bytes, 0, bytes.Length, 0, false);
        ulong subsys = _big ? BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(116)) : BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(116));
        int pos = HeaderSize;
        while (pos < bytes.Length)
        {
            _variable = null;
            var tag = ReadTag(file, pos, topLevel: true);
            if (subsys != 0 && subsys != 0x2020202020202020UL && (ulong)pos == subsys)
            {
                pos = tag.Next;   // subsystem data (MATLAB's object store): not a variable
                continue;
            }
            MatArray array = tag.Type switch
            {
                MatDataType.Compressed => ParseCompressed(file, tag),
                MatDataType.Matrix => ParseMatrix(file, tag, depth: 0),
                _ => throw Error(file, pos, $"bad tag: top-level data element of type {Describe(tag.Type)}; expected miMATRIX (14) or miCOMPRESSED (15)"),
            };
            vars.Add(array);
            pos = tag.Next;
        }
        _variable = null;
        return vars;
    }

    MatArray ParseCompressed(Region file, Tag tag)
    {
        byte[] data;
        var head = new byte[TagSize];
        try
        {
            using var ms = new MemoryStream(file.Buffer, tag.DataStart, tag.Size, writable: false);
            using var z = new ZLibStream(ms, CompressionMode.Decompress);
            int got = ReadFully(z, head, 0, TagSize);
            if (got < TagSize)
                throw Error(file, tag.TagStart, $"decompression failure: the compressed element ({tag.Size} bytes) holds only {got} bytes, less than one data element tag");
            var hregion = new Region(head, 0, TagSize, file.ElementFileOffset + tag.TagStart, true);
            uint w0 = U32(head, 0);
            uint type = (w0 >> 16) != 0 ? w0 & 0xFFFF : w0;
            if (type != (uint)MatDataType.Matrix)
                throw Error(hregion, 0, $"bad tag: a compressed element must hold an miMATRIX element, it holds type {DescribeRaw(type)}");
            long size = (w0 >> 16) != 0 ? (w0 >> 16) : U32(head, 4);
            long cap = Math.Min(_options.MaxDecompressedElementBytes, tag.Size * MaxDeflateRatio + 1024);
            if (size + TagSize > cap)
                throw Error(hregion, 0, $"decompression failure: the compressed element claims {size} decompressed bytes from {tag.Size} compressed bytes (limit {cap})");
            if (size + TagSize > Array.MaxLength)
                throw Error(hregion, 0, $"decompression failure: {size} decompressed bytes is more than this reader can hold");
            data = new byte[size + TagSize];
            Buffer.BlockCopy(head, 0, data, 0, TagSize);
            got = ReadFully(z, data, TagSize, (int)size);
            if (got < size)
                throw Error(hregion, 0, $"decompression failure: the compressed element ended after {got} of the {size} bytes its miMATRIX tag declares (truncated or corrupt zlib data)");
        }
        catch (InvalidDataException e)
        {
            throw Error(file, tag.TagStart, $"decompression failure: corrupt zlib data in the compressed element of {tag.Size} bytes ({e.Message})", e);
        }
        var region = new Region(data, 0, data.Length, file.ElementFileOffset + tag.TagStart, true);
        var inner = ReadTag(region, 0, topLevel: false);
        return ParseMatrix(region, inner, depth: 0);
    }

    static int ReadFully(Stream s, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = s.Read(buffer, offset + total, count - total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Reads the tag at <paramref name="pos"/> and checks that its data lie inside the region.</summary>
    Tag ReadTag(Region r, int pos, bool topLevel)
    {
        int remaining = r.End - pos;
        if (remaining < TagSize)
        {
            // A small element needs 8 bytes too; anything shorter is a cut-off file.
            throw Error(r, pos, $"truncated: a data element tag needs 8 bytes, only {remaining} remain");
        }
        uint w0 = U32(r.Buffer, pos);
        if ((w0 >> 16) != 0)
        {
            uint type = w0 & 0xFFFF, size = w0 >> 16;
            if (!MatTypeInfo.IsKnown(type) || type is 14 or 15)
                throw Error(r, pos, $"bad tag: small data element of unknown or invalid type {DescribeRaw(type)}");
            if (size > 4)
                throw Error(r, pos, $"bad tag: small data element declares {size} bytes, at most 4 fit");
            return new Tag((MatDataType)type, (int)size, pos + 4, pos + 8, pos);
        }
        if (!MatTypeInfo.IsKnown(w0))
            throw Error(r, pos, $"bad tag: unknown data element type {w0}");
        uint declared = U32(r.Buffer, pos + 4);
        long avail = r.End - (pos + TagSize);
        if (declared > avail)
            throw Error(r, pos, $"{(topLevel && !r.Decompressed ? "truncated" : "bad size")}: data element of type {Describe((MatDataType)w0)} declares {declared} bytes, only {avail} remain");
        int dataStart = pos + TagSize;
        long next = (long)dataStart + declared;
        if ((MatDataType)w0 != MatDataType.Compressed) next = (next + 7) & ~7L;   // 8-byte alignment padding
        if (next > r.End) next = r.End;   // a final element may omit its padding
        return new Tag((MatDataType)w0, (int)declared, dataStart, (int)next, pos);
    }

    MatArray ParseMatrix(Region r, Tag tag, int depth)
    {
        if (tag.Type != MatDataType.Matrix)
            throw Error(r, tag.TagStart, $"bad tag: expected an miMATRIX element, found {Describe(tag.Type)}");
        if (depth > _options.MaxNestingDepth)
            throw Error(r, tag.TagStart, $"unsupported: cells/structs nested deeper than {_options.MaxNestingDepth} levels");
        int end = tag.DataStart + tag.Size;
        var sub = r with { End = end };
        if (tag.Size == 0)   // MATLAB writes an empty array inside a cell or struct as a bare miMATRIX tag
            return new MatNumericArray("", MatClass.Double, new[] { 0, 0 }, false, false, Array.Empty<double>());

        // Array flags.
        var flagsTag = ReadTag(sub, tag.DataStart, false);
        if (flagsTag.Type != MatDataType.UInt32 || flagsTag.Size != 8)
            throw Error(r, flagsTag.TagStart, $"bad array flags: expected miUINT32 with 8 bytes, found {Describe(flagsTag.Type)} with {flagsTag.Size} bytes");
        uint flags = U32(r.Buffer, flagsTag.DataStart);
        int clsRaw = (int)(flags & 0xFF);
        bool complex = (flags & 0x800) != 0, global = (flags & 0x400) != 0, logical = (flags & 0x200) != 0;

        // Dimensions.
        var dimsTag = ReadTag(sub, flagsTag.Next, false);
        if (dimsTag.Type != MatDataType.Int32 || dimsTag.Size % 4 != 0 || dimsTag.Size < 4)
            throw Error(r, dimsTag.TagStart, $"bad dimensions: expected miINT32 with a multiple of 4 bytes, found {Describe(dimsTag.Type)} with {dimsTag.Size} bytes");
        int ndims = dimsTag.Size / 4;
        if (ndims > 64)
            throw Error(r, dimsTag.TagStart, $"bad dimensions: {ndims} dimensions");
        var dims = new int[ndims];
        long numel = 1;
        for (int i = 0; i < ndims; i++)
        {
            int d = (int)U32(r.Buffer, dimsTag.DataStart + 4 * i);
            if (d < 0) throw Error(r, dimsTag.TagStart, $"bad dimensions: dimension {i} is {d}");
            dims[i] = d;
            numel *= d;
            if (numel > int.MaxValue) throw Error(r, dimsTag.TagStart, $"bad dimensions: {string.Join("x", dims.Take(i + 1))} has more than {int.MaxValue} elements");
        }

        // Name.
        var nameTag = ReadTag(sub, dimsTag.Next, false);
        if (nameTag.Type is not (MatDataType.Int8 or MatDataType.UInt8 or MatDataType.Utf8))
            throw Error(r, nameTag.TagStart, $"bad array name: expected miINT8, found {Describe(nameTag.Type)}");
        string name = Encoding.UTF8.GetString(r.Buffer, nameTag.DataStart, nameTag.Size).TrimEnd('\0');
        if (depth == 0) _variable = name;

        if (complex && clsRaw is >= 6 and <= 15)
            throw Error(r, tag.TagStart, $"unsupported: '{name}' is a complex {(MatClass)clsRaw} array; only real arrays are supported");
        int pos = nameTag.Next;
        switch (clsRaw)
        {
            case (int)MatClass.Cell:
                return ParseCell(r, sub, pos, name, dims, (int)numel, global, depth);
            case (int)MatClass.Struct:
                return ParseStruct(r, sub, pos, name, dims, (int)numel, global, depth);
            case (int)MatClass.Char:
                return ParseChar(r, sub, pos, name, dims, (int)numel, global);
            case >= (int)MatClass.Double and <= (int)MatClass.UInt64:
                return ParseNumeric(r, sub, pos, name, (MatClass)clsRaw, dims, (int)numel, global, logical);
            case (int)MatClass.Sparse:
                throw Error(r, tag.TagStart, $"unsupported: '{name}' is a sparse array; sparse arrays are not supported (convert with full() before saving)");
            case (int)MatClass.Object:
            case (int)MatClass.Function:
            case (int)MatClass.Opaque:
            case 18:
                throw Error(r, tag.TagStart, $"unsupported: '{name}' has class {(clsRaw == 18 ? "object (MCOS)" : ((MatClass)clsRaw).ToString())}; only numeric, logical, char, cell and struct arrays are supported");
            default:
                throw Error(r, tag.TagStart, $"unsupported: '{name}' has unknown array class {clsRaw}");
        }
    }

    MatArray ParseNumeric(Region r, Region sub, int pos, string name, MatClass cls, int[] dims, int numel, bool global, bool logical)
    {
        if (pos >= sub.End && numel == 0)
            return new MatNumericArray(name, cls, dims, global, logical, NewArray(cls, 0));
        var t = ReadTag(sub, pos, false);
        int es = MatTypeInfo.ElementSize(t.Type);
        if (es == 0 || t.Type is MatDataType.Utf8 or MatDataType.Utf16 or MatDataType.Utf32)
            throw Error(r, t.TagStart, $"bad data: real part of '{name}' has type {Describe(t.Type)}, not a numeric type");
        if (t.Size % es != 0)
            throw Error(r, t.TagStart, $"bad size: real part of '{name}' has {t.Size} bytes, not a multiple of {es} ({Describe(t.Type)})");
        if (t.Size / es != numel)
            throw Error(r, t.TagStart, $"bad size: real part of '{name}' holds {t.Size / es} elements, its dimensions {string.Join("x", dims)} need {numel}");
        return new MatNumericArray(name, cls, dims, global, logical, Convert(cls, t.Type, r.Buffer, t.DataStart, numel));
    }

    MatArray ParseChar(Region r, Region sub, int pos, string name, int[] dims, int numel, bool global)
    {
        if (pos >= sub.End && numel == 0) return new MatCharArray(name, dims, global, "");
        var t = ReadTag(sub, pos, false);
        string s;
        switch (t.Type)
        {
            case MatDataType.Utf8:
                s = Encoding.UTF8.GetString(r.Buffer, t.DataStart, t.Size);
                break;
            case MatDataType.UInt8:
            case MatDataType.Int8:
                s = Encoding.Latin1.GetString(r.Buffer, t.DataStart, t.Size);
                break;
            case MatDataType.UInt16:
            case MatDataType.Int16:
            case MatDataType.Utf16:
                if (t.Size % 2 != 0) throw Error(r, t.TagStart, $"bad size: characters of '{name}' have {t.Size} bytes, not a multiple of 2");
                {
                    var chars = new char[t.Size / 2];
                    for (int i = 0; i < chars.Length; i++) chars[i] = (char)U16(r.Buffer, t.DataStart + 2 * i);
                    s = new string(chars);
                }
                break;
            case MatDataType.UInt32:
            case MatDataType.Int32:
            case MatDataType.Utf32:
                if (t.Size % 4 != 0) throw Error(r, t.TagStart, $"bad size: characters of '{name}' have {t.Size} bytes, not a multiple of 4");
                {
                    var sb = new StringBuilder(t.Size / 4);
                    for (int i = 0; i < t.Size / 4; i++)
                    {
                        uint cp = U32(r.Buffer, t.DataStart + 4 * i);
                        if (cp > 0xFFFF) throw Error(r, t.TagStart, $"unsupported: character {cp:X} of '{name}' is outside the basic multilingual plane");
                        sb.Append((char)cp);
                    }
                    s = sb.ToString();
                }
                break;
            default:
                throw Error(r, t.TagStart, $"bad data: characters of '{name}' have type {Describe(t.Type)}");
        }
        if (s.Length != numel)
            throw Error(r, t.TagStart, $"bad size: '{name}' holds {s.Length} characters, its dimensions {string.Join("x", dims)} need {numel}");
        return new MatCharArray(name, dims, global, s);
    }

    MatArray ParseCell(Region r, Region sub, int pos, string name, int[] dims, int numel, bool global, int depth)
    {
        // Every cell is at least an 8-byte tag: bound the count by the bytes left before allocating.
        long room = (sub.End - pos) / TagSize;
        if (numel > room)
            throw Error(r, pos, $"bad size: cell array '{name}' ({string.Join("x", dims)}) has {numel} cells, only room for {room} in its {sub.End - pos} remaining bytes");
        var cells = new MatArray[numel];
        for (int i = 0; i < numel; i++)
        {
            var t = ReadTag(sub, pos, false);
            cells[i] = ParseMatrix(r, t, depth + 1);
            pos = t.Next;
        }
        return new MatCellArray(name, dims, global, cells);
    }

    MatArray ParseStruct(Region r, Region sub, int pos, string name, int[] dims, int numel, bool global, int depth)
    {
        var lenTag = ReadTag(sub, pos, false);
        if (lenTag.Type != MatDataType.Int32 || lenTag.Size != 4)
            throw Error(r, lenTag.TagStart, $"bad struct: field name length of '{name}' must be one miINT32, found {Describe(lenTag.Type)} with {lenTag.Size} bytes");
        int len = (int)U32(r.Buffer, lenTag.DataStart);
        if (len is <= 0 or > 4096)
            throw Error(r, lenTag.TagStart, $"bad struct: field name length of '{name}' is {len}");
        var namesTag = ReadTag(sub, lenTag.Next, false);
        if (namesTag.Type is not (MatDataType.Int8 or MatDataType.UInt8 or MatDataType.Utf8))
            throw Error(r, namesTag.TagStart, $"bad struct: field names of '{name}' have type {Describe(namesTag.Type)}, expected miINT8");
        if (namesTag.Size % len != 0)
            throw Error(r, namesTag.TagStart, $"bad struct: field names of '{name}' take {namesTag.Size} bytes, not a multiple of the name length {len}");
        int nfields = namesTag.Size / len;
        var fields = new string[nfields];
        for (int f = 0; f < nfields; f++)
        {
            int start = namesTag.DataStart + f * len, n = 0;
            while (n < len && r.Buffer[start + n] != 0) n++;
            fields[f] = Encoding.UTF8.GetString(r.Buffer, start, n);
        }
        pos = namesTag.Next;
        long count = (long)numel * nfields;
        long room = (sub.End - pos) / TagSize;
        if (count > room)
            throw Error(r, pos, $"bad size: struct '{name}' needs {numel}×{nfields} field values, only room for {room} in its {sub.End - pos} remaining bytes");
        var values = new MatArray[count];
        for (long i = 0; i < count; i++)
        {
            var t = ReadTag(sub, pos, false);
            values[i] = ParseMatrix(r, t, depth + 1);
            pos = t.Next;
        }
        return new MatStructArray(name, dims, global, fields, values);
    }

    // ---- numeric conversion -------------------------------------------------------------------

    static Array NewArray(MatClass cls, int n) => cls switch
    {
        MatClass.Double => new double[n],
        MatClass.Single => new float[n],
        MatClass.Int8 => new sbyte[n],
        MatClass.UInt8 => new byte[n],
        MatClass.Int16 => new short[n],
        MatClass.UInt16 => new ushort[n],
        MatClass.Int32 => new int[n],
        MatClass.UInt32 => new uint[n],
        MatClass.Int64 => new long[n],
        MatClass.UInt64 => new ulong[n],
        _ => throw new InvalidOperationException(),
    };

    static MatDataType NaturalType(MatClass cls) => cls switch
    {
        MatClass.Double => MatDataType.Double,
        MatClass.Single => MatDataType.Single,
        MatClass.Int8 => MatDataType.Int8,
        MatClass.UInt8 => MatDataType.UInt8,
        MatClass.Int16 => MatDataType.Int16,
        MatClass.UInt16 => MatDataType.UInt16,
        MatClass.Int32 => MatDataType.Int32,
        MatClass.UInt32 => MatDataType.UInt32,
        MatClass.Int64 => MatDataType.Int64,
        _ => MatDataType.UInt64,
    };

    /// <summary>Converts <paramref name="n"/> values stored as <paramref name="storage"/> into an array of the class type.</summary>
    Array Convert(MatClass cls, MatDataType storage, byte[] buf, int start, int n)
    {
        var result = NewArray(cls, n);
        int es = MatTypeInfo.ElementSize(storage);
        if (storage == NaturalType(cls))
        {
            Buffer.BlockCopy(buf, start, result, 0, n * es);
            if (_big != !BitConverter.IsLittleEndian && es > 1) SwapInPlace(result, es);
            return result;
        }
        bool isFloat = storage is MatDataType.Single or MatDataType.Double;
        for (int i = 0; i < n; i++)
        {
            int p = start + i * es;
            if (isFloat)
            {
                double v = storage == MatDataType.Single ? BitConverter.Int32BitsToSingle((int)U32(buf, p)) : BitConverter.Int64BitsToDouble((long)U64(buf, p));
                StoreDouble(result, i, v);
            }
            else if (storage == MatDataType.UInt64)
            {
                StoreUInt64(result, i, U64(buf, p));
            }
            else
            {
                long v = storage switch
                {
                    MatDataType.Int8 => (sbyte)buf[p],
                    MatDataType.UInt8 => buf[p],
                    MatDataType.Int16 => (short)U16(buf, p),
                    MatDataType.UInt16 => U16(buf, p),
                    MatDataType.Int32 => (int)U32(buf, p),
                    MatDataType.UInt32 => U32(buf, p),
                    _ => (long)U64(buf, p),
                };
                StoreInt64(result, i, v);
            }
        }
        return result;
    }

    static void StoreDouble(Array a, int i, double v)
    {
        switch (a)
        {
            case double[] d: d[i] = v; break;
            case float[] f: f[i] = (float)v; break;
            default: StoreInt64(a, i, double.IsNaN(v) ? 0 : (long)Math.Clamp(v, long.MinValue, long.MaxValue)); break;
        }
    }

    static void StoreUInt64(Array a, int i, ulong v)
    {
        switch (a)
        {
            case ulong[] u: u[i] = v; break;
            case double[] d: d[i] = v; break;
            case float[] f: f[i] = v; break;
            default: StoreInt64(a, i, (long)Math.Min(v, long.MaxValue)); break;
        }
    }

    static void StoreInt64(Array a, int i, long v)
    {
        unchecked
        {
            switch (a)
            {
                case double[] d: d[i] = v; break;
                case float[] f: f[i] = v; break;
                case sbyte[] x: x[i] = (sbyte)v; break;
                case byte[] x: x[i] = (byte)v; break;
                case short[] x: x[i] = (short)v; break;
                case ushort[] x: x[i] = (ushort)v; break;
                case int[] x: x[i] = (int)v; break;
                case uint[] x: x[i] = (uint)v; break;
                case long[] x: x[i] = v; break;
                case ulong[] x: x[i] = (ulong)v; break;
            }
        }
    }

    static void SwapInPlace(Array a, int es)
    {
        switch (a)
        {
            case short[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case ushort[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case int[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case uint[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case long[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case ulong[] s: for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReverseEndianness(s[i]); break;
            case float[] s: for (int i = 0; i < s.Length; i++) s[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(s[i]))); break;
            case double[] s: for (int i = 0; i < s.Length; i++) s[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(s[i]))); break;
        }
    }

    // ---- primitives and messages --------------------------------------------------------------

    ushort U16(byte[] b, int p) => _big ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(p, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(p, 2));
    uint U32(byte[] b, int p) => _big ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(p, 4)) : BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p, 4));
    ulong U64(byte[] b, int p) => _big ? BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(p, 8)) : BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(p, 8));

    static string Describe(MatDataType t) => DescribeRaw((uint)t);

    static string DescribeRaw(uint t) => t switch
    {
        1 => "miINT8", 2 => "miUINT8", 3 => "miINT16", 4 => "miUINT16", 5 => "miINT32", 6 => "miUINT32",
        7 => "miSINGLE", 9 => "miDOUBLE", 12 => "miINT64", 13 => "miUINT64", 14 => "miMATRIX",
        15 => "miCOMPRESSED", 16 => "miUTF8", 17 => "miUTF16", 18 => "miUTF32", _ => $"{t}",
    };

    MatFormatException Error(Region r, int pos, string what, Exception? inner = null)
    {
        string where = r.Decompressed
            ? $"at offset {pos} of the decompressed data of the compressed element at byte offset {r.ElementFileOffset}"
            : $"at byte offset {r.ElementFileOffset + pos}";
        string var = _variable is null ? "" : $" (variable '{_variable}')";
        long offset = r.Decompressed ? r.ElementFileOffset : r.ElementFileOffset + pos;
        return new MatFormatException($"{what}, {where}{var}", offset, _variable, inner);
    }
}
