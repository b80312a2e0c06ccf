using OneBit.Runtime.Blob;

namespace OneBit.Runtime.Tests;

/// <summary>
/// The tests' own view of a blob as header + sections (CONTRACT.md §8), so a test can edit one payload (shorten it,
/// overwrite a field) and reassemble a blob whose sizes and CRC are right: the reader then gets past the CRC to the
/// field checks under test.
/// </summary>
public static class RawBlob
{
    public sealed record Section(uint Tag, byte[] Payload);

    public static List<Section> Sections(byte[] blob)
    {
        var list = new List<Section>();
        for (int at = BlobFormat.HeaderSize; at < blob.Length;)
        {
            uint tag = BitConverter.ToUInt32(blob, at);
            int length = (int)BitConverter.ToUInt32(blob, at + 4);
            list.Add(new Section(tag, blob[(at + 8)..(at + 8 + length)]));
            at += 8 + (length + 3) / 4 * 4;
        }
        return list;
    }

    /// <summary>The header of <paramref name="original"/> (counts unchanged) with these sections, total size and CRC.</summary>
    public static byte[] Build(byte[] original, IEnumerable<Section> sections)
    {
        var bytes = new List<byte>(original[..BlobFormat.HeaderSize]);
        foreach (Section s in sections)
        {
            bytes.AddRange(BitConverter.GetBytes(s.Tag));
            bytes.AddRange(BitConverter.GetBytes((uint)s.Payload.Length));
            bytes.AddRange(s.Payload);
            while (bytes.Count % 4 != 0) bytes.Add(0);
        }
        byte[] b = bytes.ToArray();
        BitConverter.GetBytes((uint)b.Length).CopyTo(b, 8);
        BitConverter.GetBytes(Crc32.Compute(b, BlobFormat.CrcCoveredFrom, b.Length - BlobFormat.CrcCoveredFrom)).CopyTo(b, BlobFormat.CrcOffset);
        return b;
    }

    /// <summary>Index among all sections of the LAYR section of layer <paramref name="layer"/> (META comes first).</summary>
    public static int LayerSection(int layer) => 1 + layer;
}
