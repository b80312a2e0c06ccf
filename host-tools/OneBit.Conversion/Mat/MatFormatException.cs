namespace OneBit.Conversion.Mat;

/// <summary>
/// A MAT file that is malformed or uses a feature this reader does not support. The message always says
/// what is wrong and where: the byte offset in the file (for data inside a compressed element, the offset
/// of that element in the file plus the offset inside its decompressed bytes) and the variable being read.
/// The reader throws nothing else on bad input (no index, overflow or out-of-memory exceptions).
/// </summary>
public sealed class MatFormatException : Exception
{
    /// <summary>Offset in the file of the element where the problem was found (−1 if not applicable).</summary>
    public long FileOffset { get; }

    /// <summary>Top-level variable being read when the problem was found, or null (header, between variables).</summary>
    public string? VariableName { get; }

    public MatFormatException(string message, long fileOffset = -1, string? variableName = null, Exception? inner = null)
        : base(message, inner)
    {
        FileOffset = fileOffset;
        VariableName = variableName;
    }
}
