using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OneBit.Runtime;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.HostKernels;

/// <summary>
/// Threshold quantizer for 1- and 2-bit layers with 512-bit compares, bit-exact with the reference
/// (CONTRACT.md §3: j = #{k : s·X ≥ T_k}). Sixteen channels of a pixel are compared with each threshold at once; each
/// compare's lane mask is one bit per channel, already in plane order. A row is nondecreasing (the reader checks it),
/// so the masks are nested, m1 ⊇ m2 ⊇ m3, and the level's bits are bit 0 = m1 ⊕ m2 ⊕ m3 and bit 1 = m2.
/// Sign −1 channels compare X ≤ −T instead (exactly s·X ≥ T in 64-bit; T = int.MinValue: always true), chosen per lane
/// by two masks. Affine layers (any bit width) go eight channels per vector (<see cref="RunAffine"/>); 4/8-bit threshold
/// layers go to <see cref="TunedQuantize"/>, as does everything when 512-bit vectors are not accelerated or are
/// switched off. Per-layer tables are built on first use; one instance per thread.
/// </summary>
public sealed class VectorQuantizeKernel
{
    /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
    public static class Paths
    {
        public const string Thresholds1 = "VectorQuantizeKernel.Thresholds1";
        public const string Thresholds2 = "VectorQuantizeKernel.Thresholds2";
        public const string Affine = "VectorQuantizeKernel.Affine";
        public const string Tuned = "VectorQuantizeKernel.Tuned";
    }

    /// <summary>The CPU features a path needs that this CPU lacks (empty: it can run here).</summary>
    public static string Unsupported(string path) => path == Paths.Tuned ? "" : PopcountConvKernel.Missing(("512-bit vectors", Vector512.IsHardwareAccelerated));

    private readonly bool _vectors;

    /// <param name="vectors">False: every layer goes to <see cref="TunedQuantize"/> (what machines without 512-bit
    /// vectors run; tests compare both).</param>
    public VectorQuantizeKernel(bool vectors = true)
    {
        _vectors = vectors && Vector512.IsHardwareAccelerated;
    }

    private sealed class Prepared
    {
        public required int Chunks;                  // ⌈C/16⌉ groups of 16 channels
        public required Vector512<int>[] AtLeast;    // [k·Chunks + g]: T_k of the sign +1 lanes
        public required Vector512<int>[] AtMost;     // [k·Chunks + g]: −T_k of the sign −1 lanes
        public required uint[] Positive, Negative;   // [g]: lane masks of the channels with sign +1 / −1 (valid lanes only)
    }

    private readonly ConditionalWeakTable<QuantizeLayer, Prepared> _prepared = new();
    private readonly int[] _tail = new int[16];

    public string Name => _vectors ? "avx512-thresholds" : "tuned-thresholds";

    public void Run(QuantizeLayer L, int[] input, uint[] planes)
    {
        if (!_vectors || (L.Mode == QuantizeLayer.ThresholdMode && L.Bits > 2))
        {
            KernelPaths.Hit(Paths.Tuned);
            TunedQuantize.Run(L, input, planes);
            return;
        }
        if (L.Mode == QuantizeLayer.AffineMode)
        {
            KernelPaths.Hit(Paths.Affine);
            RunAffine(L, input, planes);
            return;
        }
        KernelPaths.Hit(L.Bits == 1 ? Paths.Thresholds1 : Paths.Thresholds2);
        Prepared P = _prepared.GetValue(L, Prepare);
        int C = L.Channels, bits = L.Bits, wpc = BitConvention.WordsFor(C), chunks = P.Chunks, pixels = L.Height * L.Width;
        int pixelWords = bits * wpc;
        for (int px = 0, xi = 0, pw = 0; px < pixels; px++, xi += C, pw += pixelWords)
        {
            Array.Clear(planes, pw, pixelWords);
            for (int g = 0; g < chunks; g++)
            {
                int at = xi + 16 * g;
                Vector512<int> x = Vector512.Create(Lanes(input, at, 16));
                uint pos = P.Positive[g], neg = P.Negative[g];
                uint m1 = Mask(x, P, 0, g, pos, neg);
                int word = pw + (g >> 1), shift = (g & 1) << 4;
                if (bits == 1)
                {
                    planes[word] |= m1 << shift;
                    continue;
                }
                uint m2 = Mask(x, P, 1, g, pos, neg), m3 = Mask(x, P, 2, g, pos, neg);
                planes[word] |= (m1 ^ m2 ^ m3) << shift;
                planes[word + wpc] |= m2 << shift;
            }
        }
    }

    private sealed class AffinePrepared
    {
        public required Vector512<long>[] Multipliers, Offsets;   // [g]: eight channels per group
        public required uint[] Valid;                               // [g]: lanes that are channels
    }

    private readonly ConditionalWeakTable<QuantizeLayer, AffinePrepared> _affine = new();

    /// <summary>
    /// Affine layers (the calibrated 4/8-bit quantizers of imported models): j = clamp((M·X + B) >> shift, 0, 2^b − 1)
    /// in 64-bit as the reference, eight channels per vector; plane p's bits are the lanes where bit p of j is set.
    /// </summary>
    private void RunAffine(QuantizeLayer L, int[] input, uint[] planes)
    {
        AffinePrepared P = _affine.GetValue(L, PrepareAffine);
        int C = L.Channels, bits = L.Bits, wpc = BitConvention.WordsFor(C), groups = P.Valid.Length, pixels = L.Height * L.Width;
        int pixelWords = bits * wpc, shift = L.Shift;
        Vector512<long> top = Vector512.Create((long)L.ThresholdsPerRow);
        for (int px = 0, xi = 0, pw = 0; px < pixels; px++, xi += C, pw += pixelWords)
        {
            Array.Clear(planes, pw, pixelWords);
            for (int g = 0; g < groups; g++)
            {
                int at = xi + 8 * g;
                Vector256<int> x32 = Vector256.Create(Lanes(input, at, 8));
                Vector512<long> j = Vector512.ShiftRightArithmetic(P.Multipliers[g] * Vector512.WidenLower(x32.ToVector512()) + P.Offsets[g], shift);
                j = Vector512.Min(Vector512.Max(j, Vector512<long>.Zero), top);
                int word = pw + (g >> 2), lane0 = (g & 3) << 3;
                uint valid = P.Valid[g];
                for (int p = 0; p < bits; p++)
                {
                    Vector512<long> bit = Vector512.Create(1L << p);
                    uint m = (uint)Vector512.Equals(j & bit, bit).ExtractMostSignificantBits() & valid;
                    planes[word + p * wpc] |= m << lane0;
                }
            }
        }
    }

    private static AffinePrepared PrepareAffine(QuantizeLayer L)
    {
        int C = L.Channels, groups = (C + 7) / 8;
        var m = new Vector512<long>[groups];
        var b = new Vector512<long>[groups];
        var valid = new uint[groups];
        Span<long> ms = stackalloc long[8], bs = stackalloc long[8];
        for (int g = 0; g < groups; g++)
        {
            ms.Clear(); bs.Clear();
            for (int lane = 0; lane < 8 && 8 * g + lane < C; lane++)
            {
                int row = L.Rows == 1 ? 0 : 8 * g + lane;
                ms[lane] = L.Multipliers[row];
                bs[lane] = L.Offsets[row];
                valid[g] |= 1u << lane;
            }
            m[g] = Vector512.Create((ReadOnlySpan<long>)ms);
            b[g] = Vector512.Create((ReadOnlySpan<long>)bs);
        }
        return new AffinePrepared { Multipliers = m, Offsets = b, Valid = valid };
    }

    /// <summary><paramref name="count"/> inputs from <paramref name="at"/> on; past the array's end, zeros (read from a
    /// copy, so the last pixel's vector load stays inside the array).</summary>
    private ReadOnlySpan<int> Lanes(int[] input, int at, int count)
    {
        if (at + count <= input.Length) return input.AsSpan(at, count);
        Array.Clear(_tail);
        input.AsSpan(at, input.Length - at).CopyTo(_tail);
        return _tail.AsSpan(0, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask(Vector512<int> x, Prepared P, int k, int g, uint pos, uint neg)
    {
        int i = k * P.Chunks + g;
        return ((uint)Vector512.GreaterThanOrEqual(x, P.AtLeast[i]).ExtractMostSignificantBits() & pos)
             | ((uint)Vector512.LessThanOrEqual(x, P.AtMost[i]).ExtractMostSignificantBits() & neg);
    }

    private static Prepared Prepare(QuantizeLayer L)
    {
        int C = L.Channels, per = L.ThresholdsPerRow, chunks = (C + 15) / 16;
        var atLeast = new Vector512<int>[per * chunks];
        var atMost = new Vector512<int>[per * chunks];
        var positive = new uint[chunks];
        var negative = new uint[chunks];
        Span<int> ge = stackalloc int[16], le = stackalloc int[16];
        for (int k = 0; k < per; k++)
        {
            for (int g = 0; g < chunks; g++)
            {
                ge.Clear(); le.Clear();
                for (int lane = 0; lane < 16; lane++)
                {
                    int c = 16 * g + lane;
                    if (c >= C) break;
                    int row = L.Rows == 1 ? 0 : c, t = L.Thresholds[row * per + k];
                    if (L.Signs[row] > 0)
                    {
                        ge[lane] = t;
                        if (k == 0) positive[g] |= 1u << lane;
                    }
                    else
                    {
                        le[lane] = t == int.MinValue ? int.MaxValue : -t;
                        if (k == 0) negative[g] |= 1u << lane;
                    }
                }
                atLeast[k * chunks + g] = Vector512.Create((ReadOnlySpan<int>)ge);
                atMost[k * chunks + g] = Vector512.Create((ReadOnlySpan<int>)le);
            }
        }
        return new Prepared { Chunks = chunks, AtLeast = atLeast, AtMost = atMost, Positive = positive, Negative = negative };
    }
}
