namespace OneBit.Conversion.Mat;

/// <summary>Limits applied while reading untrusted MAT files.</summary>
public sealed class MatReaderOptions
{
    /// <summary>Largest decompressed size accepted for one miCOMPRESSED element (default 1 GiB).</summary>
    public long MaxDecompressedElementBytes { get; init; } = 1L << 30;

    /// <summary>Deepest nesting of cells/structs accepted (default 64).</summary>
    public int MaxNestingDepth { get; init; } = 64;

    public static MatReaderOptions Default { get; } = new();
}

/// <summary>
/// A MATLAB Level 5 MAT file (format version 0x0100, as written by MATLAB with -v6/-v7 and by
/// scipy.io.savemat), read entirely by our own code: the 128-byte header, then data elements, each
/// an miMATRIX (a variable) or an miCOMPRESSED element holding one zlib-compressed miMATRIX.
/// Supported: all real numeric classes and logical, char, cell and struct arrays, nested to any depth
/// up to <see cref="MatReaderOptions.MaxNestingDepth"/>, both byte orders. Rejected with a
/// <see cref="MatFormatException"/>: complex and sparse arrays, objects, function handles, v4 and
/// v7.3 (HDF5) files, and every kind of malformed input.
/// </summary>
public sealed class MatFile
{
    /// <summary>Descriptive text of the header (bytes 0–115), trailing blanks and NULs removed.</summary>
    public string HeaderText { get; }
    /// <summary>Subsystem data offset from the header (0 if none).</summary>
    public ulong SubsystemOffset { get; }
    /// <summary>Header version field (always 0x0100 for files this reader accepts).</summary>
    public int Version { get; }
    /// <summary>True if the endian indicator was 'MI' (file written big-endian).</summary>
    public bool IsBigEndian { get; }
    /// <summary>Variables in file order.</summary>
    public IReadOnlyList<MatArray> Variables { get; }

    internal MatFile(string text, ulong subsystemOffset, int version, bool bigEndian, IReadOnlyList<MatArray> variables)
    {
        HeaderText = text;
        SubsystemOffset = subsystemOffset;
        Version = version;
        IsBigEndian = bigEndian;
        Variables = variables;
    }

    public bool Contains(string name) => Variables.Any(v => v.Name == name);

    public MatArray this[string name] =>
        Variables.FirstOrDefault(v => v.Name == name)
        ?? throw new KeyNotFoundException($"no variable '{name}' in the MAT file (variables: {string.Join(", ", Variables.Select(v => v.Name))})");

    public bool TryGet(string name, out MatArray? array)
    {
        array = Variables.FirstOrDefault(v => v.Name == name);
        return array is not null;
    }

    /// <summary>Reads a MAT file from disk. I/O errors propagate as IOException; content errors are MatFormatException.</summary>
    public static MatFile Read(string path, MatReaderOptions? options = null)
    {
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
            throw new MatFormatException($"{path}: file is {length} bytes, larger than this reader accepts ({Array.MaxLength})");
        return Read(File.ReadAllBytes(path), options);
    }

    /// <summary>Reads a MAT file from a stream (read to its end into memory).</summary>
    public static MatFile Read(Stream stream, MatReaderOptions? options = null)
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Read(ms.ToArray(), options);
    }

    /// <summary>Parses MAT file bytes. The array is not modified and not retained.</summary>
    public static MatFile Read(byte[] bytes, MatReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return MatParser.Parse(bytes, options ?? MatReaderOptions.Default);
    }
}
