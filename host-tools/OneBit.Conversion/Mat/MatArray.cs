namespace OneBit.Conversion.Mat;

/// <summary>
/// One MATLAB array read from a MAT file: its name (empty inside cells and structs), class and dimensions.
/// Data are in MATLAB's column-major order: the first subscript varies fastest. <see cref="LinearIndex"/>
/// turns 0-based subscripts in MATLAB order into the index into the flat data.
/// </summary>
public abstract class MatArray
{
    public string Name { get; }
    public MatClass Class { get; }
    /// <summary>Dimensions as stored (at least two; MATLAB drops trailing singleton dimensions beyond the second).</summary>
    public IReadOnlyList<int> Dimensions => _dims;
    public bool IsGlobal { get; }
    /// <summary>Number of elements: the product of the dimensions.</summary>
    public int Count { get; }

    readonly int[] _dims;

    protected MatArray(string name, MatClass cls, int[] dims, bool isGlobal)
    {
        Name = name;
        Class = cls;
        _dims = (int[])dims.Clone();
        IsGlobal = isGlobal;
        long n = 1;
        foreach (int d in dims) n *= d;   // the reader has bounded the product already
        Count = checked((int)n);
    }

    /// <summary>
    /// Column-major linear index of 0-based subscripts (MATLAB order: A(i,j,k) with i fastest). Fewer
    /// subscripts than dimensions address the leading dimensions with the rest at 0; extra trailing
    /// subscripts must be 0 (MATLAB's implicit singleton dimensions).
    /// </summary>
    public int LinearIndex(params int[] subscripts)
    {
        long index = 0, stride = 1;
        for (int k = 0; k < subscripts.Length; k++)
        {
            int dim = k < _dims.Length ? _dims[k] : 1;
            int s = subscripts[k];
            if ((uint)s >= (uint)dim)
                throw new ArgumentOutOfRangeException(nameof(subscripts), $"subscript {k} is {s}, dimension {k} of '{Name}' has size {dim}");
            index += s * stride;
            stride *= dim;
        }
        return (int)index;
    }

    /// <summary>Dimensions as text, MATLAB style: 3x3x160x320.</summary>
    public string DimensionText => string.Join("x", _dims);

    public override string ToString() => $"{(Name.Length > 0 ? Name : "<unnamed>")}: {DimensionText} {Class}";
}

/// <summary>
/// A real numeric or logical array. <see cref="Data"/> holds the values in the array's class type
/// (double[], float[], sbyte[], byte[], short[], ushort[], int[], uint[], long[], ulong[]) whatever
/// smaller type the file used to store them (MATLAB stores e.g. integer-valued doubles as miUINT8);
/// a logical array is class UInt8 with <see cref="IsLogical"/> set.
/// </summary>
public sealed class MatNumericArray : MatArray
{
    public Array Data { get; }
    public bool IsLogical { get; }

    /// <summary>
    /// A numeric array of the class matching <paramref name="data"/>'s element type (double[] → Double, …);
    /// logical requires byte[]. Data are column-major and must have the product of <paramref name="dims"/> elements.
    /// </summary>
    public MatNumericArray(string name, int[] dims, Array data, bool isLogical = false, bool isGlobal = false)
        : this(name, ClassOf(data), dims, isGlobal, isLogical, data)
    {
        if (data.Length != Count) throw new ArgumentException($"{data.Length} values for dimensions {DimensionText}");
        if (isLogical && data is not byte[]) throw new ArgumentException("a logical array holds byte[] 0/1 values");
    }

    static MatClass ClassOf(Array data) => data switch
    {
        double[] => MatClass.Double, float[] => MatClass.Single, sbyte[] => MatClass.Int8, byte[] => MatClass.UInt8,
        short[] => MatClass.Int16, ushort[] => MatClass.UInt16, int[] => MatClass.Int32, uint[] => MatClass.UInt32,
        long[] => MatClass.Int64, ulong[] => MatClass.UInt64,
        _ => throw new ArgumentException($"unsupported element type {data.GetType().Name}"),
    };

    internal MatNumericArray(string name, MatClass cls, int[] dims, bool isGlobal, bool isLogical, Array data)
        : base(name, cls, dims, isGlobal)
    {
        IsLogical = isLogical;
        Data = data;
    }

    /// <summary>Element at a column-major linear index, as double (exact for every class but 64-bit integers above 2^53).</summary>
    public double this[int linearIndex] => Data switch
    {
        double[] a => a[linearIndex],
        float[] a => a[linearIndex],
        sbyte[] a => a[linearIndex],
        byte[] a => a[linearIndex],
        short[] a => a[linearIndex],
        ushort[] a => a[linearIndex],
        int[] a => a[linearIndex],
        uint[] a => a[linearIndex],
        long[] a => a[linearIndex],
        ulong[] a => a[linearIndex],
        _ => throw new InvalidOperationException("unexpected data array"),
    };

    /// <summary>Element at 0-based subscripts in MATLAB order.</summary>
    public double At(params int[] subscripts) => this[LinearIndex(subscripts)];

    public double[] ToDoubleArray()
    {
        var r = new double[Count];
        for (int i = 0; i < r.Length; i++) r[i] = this[i];
        return r;
    }

    public float[] ToSingleArray()
    {
        if (Data is float[] f) return (float[])f.Clone();
        var r = new float[Count];
        for (int i = 0; i < r.Length; i++) r[i] = (float)this[i];
        return r;
    }

    /// <summary>The single element of a 1×1 array.</summary>
    public double Scalar => Count == 1 ? this[0] : throw new InvalidOperationException($"'{Name}' is {DimensionText}, not a scalar");
}

/// <summary>A char array. Rows of a 2-D char matrix are MATLAB's usual way to hold several strings.</summary>
public sealed class MatCharArray : MatArray
{
    /// <summary>All characters in column-major order.</summary>
    public string Chars { get; }

    internal MatCharArray(string name, int[] dims, bool isGlobal, string chars) : base(name, MatClass.Char, dims, isGlobal) => Chars = chars;

    /// <summary>A 1×N char array holding <paramref name="text"/>.</summary>
    public MatCharArray(string name, string text) : this(name, new[] { text.Length == 0 ? 0 : 1, text.Length }, false, text) { }

    /// <summary>A char array with explicit dimensions; <paramref name="chars"/> column-major.</summary>
    public MatCharArray(string name, int[] dims, string chars) : this(name, dims, false, chars)
    {
        if (chars.Length != Count) throw new ArgumentException($"{chars.Length} characters for dimensions {DimensionText}");
    }

    /// <summary>The text of a 1×N (or N×1) char array; for an R×C matrix the rows joined with '\n'.</summary>
    public string Text
    {
        get
        {
            if (Dimensions.Count != 2 || Dimensions[0] <= 1 || Dimensions[1] == 1) return Chars;
            return string.Join("\n", Rows);
        }
    }

    /// <summary>Rows of a 2-D char matrix (trailing blanks kept, as MATLAB stores them).</summary>
    public IReadOnlyList<string> Rows
    {
        get
        {
            int r = Dimensions[0], c = Count / Math.Max(r, 1);
            var rows = new string[r];
            var buf = new char[c];
            for (int i = 0; i < r; i++)
            {
                for (int j = 0; j < c; j++) buf[j] = Chars[i + j * r];
                rows[i] = new string(buf);
            }
            return rows;
        }
    }
}

/// <summary>A cell array: any arrays, in column-major order.</summary>
public sealed class MatCellArray : MatArray
{
    public IReadOnlyList<MatArray> Cells { get; }

    internal MatCellArray(string name, int[] dims, bool isGlobal, MatArray[] cells) : base(name, MatClass.Cell, dims, isGlobal) => Cells = cells;

    /// <summary>A cell array; <paramref name="cells"/> column-major (their names are not written).</summary>
    public MatCellArray(string name, int[] dims, params MatArray[] cells) : this(name, dims, false, cells)
    {
        if (cells.Length != Count) throw new ArgumentException($"{cells.Length} cells for dimensions {DimensionText}");
    }

    public MatArray this[int linearIndex] => Cells[linearIndex];
}

/// <summary>A struct array: field names and, for each element (column-major) and field, an array.</summary>
public sealed class MatStructArray : MatArray
{
    public IReadOnlyList<string> FieldNames { get; }
    readonly MatArray[] _values;   // [element * fieldCount + field]

    internal MatStructArray(string name, int[] dims, bool isGlobal, string[] fieldNames, MatArray[] values)
        : base(name, MatClass.Struct, dims, isGlobal)
    {
        FieldNames = fieldNames;
        _values = values;
    }

    /// <summary>A struct array; <paramref name="values"/> holds, element by element (column-major), one array per field.</summary>
    public MatStructArray(string name, int[] dims, string[] fieldNames, params MatArray[] values) : this(name, dims, false, fieldNames, values)
    {
        if (values.Length != (long)Count * fieldNames.Length) throw new ArgumentException($"{values.Length} values for {Count} elements x {fieldNames.Length} fields");
    }

    /// <summary>Field values in the order written to a file: element by element, field by field.</summary>
    public IReadOnlyList<MatArray> Values => _values;

    /// <summary>Field value of element <paramref name="element"/> (column-major linear index).</summary>
    public MatArray Get(string field, int element = 0)
    {
        int f = -1;
        for (int i = 0; i < FieldNames.Count; i++) if (FieldNames[i] == field) { f = i; break; }
        if (f < 0) throw new KeyNotFoundException($"struct '{Name}' has no field '{field}' (fields: {string.Join(", ", FieldNames)})");
        if ((uint)element >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(element), $"struct '{Name}' has {Count} elements");
        return _values[element * FieldNames.Count + f];
    }

    public bool HasField(string field) => FieldNames.Contains(field);
}
