using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;

namespace OneBit.Conversion.Folding;

/// <summary>
/// Fixed-point constants of a per-channel affine quantizer in blob record kind 7 (CONTRACT.md §3, §8), 6 bytes per
/// channel instead of kind 6's 12: j = clamp((M·X + B) >> n, 0, L−1) with M = round(a·2^n), B = B'·2^k,
/// B' = round(b·2^(n−k)), M and B' signed 24-bit; a = α/Δ (levels per input unit), b = β/Δ + (z+1)/2 + guard (levels).
/// <list type="bullet">
/// <item>n is the largest shift with every |M| ≤ 2^23 − 1, so the largest |M| is ≥ 2^22 and its relative rounding
/// error below 2^−22; at most the shift that keeps |B| ≤ 2^60, so M·X + B (|M·X| &lt; 2^54) never leaves int64.</item>
/// <item>k is the smallest with every |B'| ≤ 2^23 − 1; B is then off by at most 2^(k−1), i.e. 2^(k−1−n) levels.</item>
/// </list>
/// </summary>
public static class CompactAffineFold
{
    public sealed record Constants(int Shift, int OffsetShift, int[] Multipliers, long[] Offsets);

    /// <returns>null when no shift fits (|a| ≥ 2^23 levels per input unit or |b| beyond 2^60): emit kind 6 then.</returns>
    public static Constants? Fit(double[] a, double[] b)
    {
        const double limit = BlobFormat.Max24;   // symmetric limit 2^23 − 1: −M and −B' fit as well
        double maxA = a.Max(Math.Abs), maxB = b.Max(Math.Abs);
        int byOffset = 60 - (int)Math.Ceiling(Math.Log2(1 + maxB));
        int byMultiplier = maxA == 0 ? byOffset : (int)Math.Floor(Math.Log2(limit / maxA));
        int n = Math.Clamp(Math.Min(byMultiplier, byOffset), 0, BlobFormat.MaxShift);
        // Log2 is inexact next to powers of two and rounding can add one: step down until the multipliers fit.
        while (n > 0 && !AllFit(a, n)) n--;
        if (!AllFit(a, n)) return null;
        for (int k = 0; k <= BlobFormat.MaxOffsetShift; k++)
        {
            if (!AllFit(b, n - k)) continue;
            int[] m = a.Select(v => (int)Math.Round(Math.ScaleB(v, n))).ToArray();
            long[] offsets = b.Select(v => (long)Math.Round(Math.ScaleB(v, n - k)) << k).ToArray();
            if (!CompactAffineWriter.Fits(m, offsets, k)) throw new InvalidOperationException("compact affine constants out of range");
            return new Constants(n, k, m, offsets);
        }
        return null;
    }

    private static bool AllFit(double[] values, int shift) =>
        values.All(v => Math.Abs(Math.Round(Math.ScaleB(v, shift))) <= BlobFormat.Max24);
}
