namespace OneBit.PeWriter;

/// <summary>
/// TBL_Signatures: a byte heap addressed by 16-bit offset. A new blob reuses an existing
/// identical blob, or any earlier occurrence of its bytes inside the heap, before being
/// appended (metadata processor v3.0.100 nanoSignaturesTable; the search stops one
/// position short of the heap end, and reproducing that matters for byte identity).
/// </summary>
public sealed class SignatureTable
{
    public const ushort None = 0xFFFF;

    private readonly Dictionary<string, ushort> _exact = new(StringComparer.Ordinal);
    private readonly List<byte> _heap = new();

    public int Size => _heap.Count;

    public byte[] ToArray() => _heap.ToArray();

    public ushort GetOrCreate(byte[] blob, string owner)
    {
        var key = Convert.ToHexString(blob);
        if (_exact.TryGetValue(key, out var id))
        {
            return id;
        }

        for (int i = 0; i < _heap.Count - blob.Length; i++)
        {
            bool found = true;
            for (int j = 0; j < blob.Length; j++)
            {
                if (_heap[i + j] != blob[j])
                {
                    found = false;
                    break;
                }
            }

            if (found)
            {
                _exact.Add(key, (ushort)i);
                return (ushort)i;
            }
        }

        if (_heap.Count + blob.Length > ushort.MaxValue)
        {
            throw new PeLimitException(owner, "signature table exceeds 64 KB: signature ids are 16-bit offsets (CLR_SIG, nanoCLR_Types.h)");
        }

        id = (ushort)_heap.Count;
        _exact.Add(key, id);
        _heap.AddRange(blob);
        return id;
    }
}
