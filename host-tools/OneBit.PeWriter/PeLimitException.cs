namespace OneBit.PeWriter;

/// <summary>
/// Thrown when the input assembly uses a construct that the stable nanoCLR line
/// (nanoFramework.CoreLibrary 1.17.x firmware) cannot load, or when a .pe table
/// would overflow its 16-bit addressing. <see cref="Member"/> names the offending
/// member so the caller can fix the source.
/// </summary>
public sealed class PeLimitException : Exception
{
    public PeLimitException(string member, string reason)
        : base($"{member}: {reason}")
    {
        Member = member;
        Reason = reason;
    }

    public string Member { get; }

    public string Reason { get; }
}
