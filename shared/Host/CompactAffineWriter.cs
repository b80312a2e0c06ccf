using System;
using System.IO;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Host;

/// <summary>
/// The fields of LAYR record kind 7 after the shift (CONTRACT.md §8): k, then M[rows] and B'[rows] as signed 24-bit
/// little-endian, B = B'·2^k. A layer is written in this form only when it was made compact (the converter, or the
/// reader of a kind-7 record), and then every value must be exactly representable: the writer never rounds, so
/// write → read → write gives the same bytes.
/// </summary>
public static class CompactAffineWriter
{
    public static void Write(BinaryWriter s, QuantizeLayer L)
    {
        int k = L.OffsetShift;
        if (k < 0 || k > BlobFormat.MaxOffsetShift)
            throw new ArgumentException($"compact affine quantize: offset shift {k} outside 0..{BlobFormat.MaxOffsetShift}");
        s.Write(k);
        for (int i = 0; i < L.Rows; i++) Write24(s, L.Multipliers[i], "multiplier", i);
        for (int i = 0; i < L.Rows; i++)
        {
            long b = L.Offsets[i], scaled = b >> k;
            if (scaled << k != b) throw new ArgumentException($"compact affine quantize: offset {b} of row {i} is not a multiple of 2^{k}");
            Write24(s, scaled, "offset / 2^k", i);
        }
    }

    /// <summary>True when M and B of every row fit record kind 7 with offset shift k.</summary>
    public static bool Fits(int[] multipliers, long[] offsets, int k)
    {
        if (k < 0 || k > BlobFormat.MaxOffsetShift) return false;
        foreach (int m in multipliers) if (m < BlobFormat.Min24 || m > BlobFormat.Max24) return false;
        foreach (long b in offsets)
        {
            long scaled = b >> k;
            if (scaled << k != b || scaled < BlobFormat.Min24 || scaled > BlobFormat.Max24) return false;
        }
        return true;
    }

    private static void Write24(BinaryWriter s, long v, string what, int row)
    {
        if (v < BlobFormat.Min24 || v > BlobFormat.Max24)
            throw new ArgumentException($"compact affine quantize: {what} {v} of row {row} does not fit signed 24 bits");
        s.Write((byte)v); s.Write((byte)(v >> 8)); s.Write((byte)(v >> 16));
    }
}
