namespace OneBit.PeWriter;

/// <summary>
/// A written .pe plus the token map a debugger needs (what the official tool puts in
/// the .pdbx): IL token to nanoCLR token for types, fields and methods, and for each method
/// the IL offsets at which the rewritten code's offsets start to differ.
/// </summary>
public sealed class PeImage
{
    public PeImage(byte[] bytes, IReadOnlyDictionary<uint, uint> tokenMap, IReadOnlyDictionary<uint, IReadOnlyList<(int Il, int Nano)>> ilMaps)
    {
        Bytes = bytes;
        TokenMap = tokenMap;
        IlMaps = ilMaps;
    }

    public byte[] Bytes { get; }

    /// <summary>IL metadata token to nanoCLR token (table number in the top byte: 0x04 TypeDef, 0x05 FieldDef, 0x06 MethodDef).</summary>
    public IReadOnlyDictionary<uint, uint> TokenMap { get; }

    /// <summary>Per IL method token, (IL offset, nanoCLR offset) where the running offset shift changes.</summary>
    public IReadOnlyDictionary<uint, IReadOnlyList<(int Il, int Nano)>> IlMaps { get; }
}
