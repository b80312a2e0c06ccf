using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OneBit.Runtime;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;

namespace OneBit.HostKernels;

/// <summary>
/// Binary conv with hardware popcount over 64-bit words (CONTRACT.md §4, rearranged):
///   acc = 2·(2·T1 − T2) − z·T3,
///   T1 = Σ_valid Σ_p 2^p·popcount(W ∧ A_p)   (the hot loop: invalid taps are zero-filled, adding nothing),
///   T2 = Σ_valid Σ_c j_c                      (per input pixel, shared by all output channels),
///   T3 = Σ_valid (2·popcount(W_tap) − Cin)    (the border correction; one precomputed total in the interior).
/// Per-layer tables are built on first use and cached; Run then allocates nothing. One instance per thread.
/// <para>Paths, each chosen per call by layer shape and by what the CPU supports (<see cref="Unsupported"/>):
/// layers of ≥ 5 bits take the byte path (PopcountConvKernel.ByteDot.cs; AVX-VNNI, GFNI, AVX512-VBMI); layers of
/// 2–4 bits with patches of up to 96 words per plane the row path (PopcountConvKernel.Rows.cs; AVX-512BW): eight
/// pixels per 512-bit vector; the rest the per-pixel path here, whose dot product goes along the patch in 512-bit
/// vectors for patches of ≥ 16 words (AVX-512BW) and with scalar POPCNT otherwise. The constructor's options switch
/// the vector paths off, so that tests run both and compare them.</para>
/// </summary>
public sealed partial class PopcountConvKernel : IBinaryConvKernel
{
    /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
    public static class Paths
    {
        public const string ByteDot = "PopcountConvKernel.ByteDot";
        public const string RowsVectorGather = "PopcountConvKernel.RowsVectorGather";
        public const string RowsScalarGather = "PopcountConvKernel.RowsScalarGather";
        public const string PixelsDense = "PopcountConvKernel.PixelsDense";
        public const string PixelsWide = "PopcountConvKernel.PixelsWide";
        public const string PixelsVectorDot = "PopcountConvKernel.PixelsVectorDot";
        public const string PixelsScalarDot = "PopcountConvKernel.PixelsScalarDot";
    }

    /// <summary>The CPU features a path needs that this CPU lacks (empty: it can run here).</summary>
    public static string Unsupported(string path) => path switch
    {
        Paths.ByteDot => Missing(("AVX-VNNI", AvxVnni.IsSupported), ("AVX512-VBMI", Avx512Vbmi.IsSupported), ("GFNI (512-bit)", Gfni.V512.IsSupported)),
        Paths.RowsVectorGather or Paths.RowsScalarGather or Paths.PixelsVectorDot => Missing(("AVX-512BW", Avx512BW.IsSupported)),
        _ => Missing(("POPCNT", Popcnt.X64.IsSupported)),
    };

    internal static string Missing(params (string Feature, bool Supported)[] features) =>
        string.Join(", ", features.Where(f => !f.Supported).Select(f => f.Feature));

    private sealed class Prepared
    {
        /// <summary>Layers of at most 32 channels pack the taps densely, tap t at bit t·C of the patch, instead of one
        /// mostly empty 32-bit word per tap: 16 channels take 3 words instead of 5.</summary>
        public required bool Dense;
        public required int Words;          // k²·wpc uint words of one output channel's weights
        public required int Words64;        // rounded up to ulongs
        public required ulong[] Weights;    // [o][Words64]
        public required int[] TapWeightSums; // [o][tap]
        public required int[] FullWeightSums; // [o]
    }

    private readonly ConditionalWeakTable<ConvLayer, Prepared> _prepared = new();
    private readonly bool _vectorRows;
    private readonly bool _vectorDot;
    private ulong[] _patch = Array.Empty<ulong>();
    private int[] _levelSums = Array.Empty<int>();

    /// <param name="vectorRows">False: the per-pixel path for every layer, also those the byte path would take
    /// (what machines without AVX-512 run; tests use it to keep that path covered on machines that have it).</param>
    /// <param name="vectorDot">False: the per-pixel path counts long patches with scalar POPCNT too, not in 512-bit
    /// vectors (with <paramref name="vectorRows"/> false: no vector path at all, for bit-for-bit comparisons).</param>
    public PopcountConvKernel(bool vectorRows = true, bool vectorDot = true)
    {
        _vectorRows = vectorRows && Avx512BW.IsSupported;
        _byteDot = vectorRows && ByteDotSupported;
        _vectorDot = vectorDot && Avx512BW.IsSupported;
    }

    public string Name => (_vectorRows ? "popcount64+avx512rows" : "popcount64") + (_byteDot ? "+vnni" : "") + (_vectorDot ? "" : "-scalardot");

    public void Run(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
    {
        Prepared P = _prepared.GetValue(L, Prepare);
        int k = L.KernelSize, wpc = L.WordsPerTap, bits = L.Bits, z = L.ZeroCode, taps = k * k;
        if (_byteDot && bits >= ByteDotMinBits)
        {
            KernelPaths.Hit(Paths.ByteDot);
            RunByteDot(L, P, planes, inRows, acc, outRows, oyStart, oyEnd);
            return;
        }
        int inPixels = inRows * L.InWidth;
        if (_patch.Length < bits * P.Words64) _patch = new ulong[bits * P.Words64];
        if (_levelSums.Length < inPixels) _levelSums = new int[inPixels];

        // Σ_c j_c of the input rows these output rows read (each ring slot once).
        int firstRow = Math.Max(0, oyStart * L.Stride - L.PadTop), lastRow = Math.Min(L.InHeight, (oyEnd - 1) * L.Stride - L.PadTop + k);
        if (lastRow - firstRow > inRows) firstRow = lastRow - inRows;
        for (int iyRow = firstRow; iyRow < lastRow; iyRow++)
        for (int px = (iyRow % inRows) * L.InWidth, pxEnd = px + L.InWidth; px < pxEnd; px++)
        {
            int s = 0;
            for (int p = 0; p < bits; p++)
            {
                int baseWord = (px * bits + p) * wpc, count = 0;
                for (int w = 0; w < wpc; w++) count += BitOperations.PopCount(planes[baseWord + w]);
                s += count << p;
            }
            _levelSums[px] = s;
        }

        // 1-bit layers stay on the scalar path: with one plane the row path's per-group work outweighs its popcounts
        // (HostKernels/README.md).
        if (_vectorRows && bits >= 2 && P.Words64 <= MaxRowVectorWords)
        {
            for (int oy = oyStart; oy < oyEnd; oy++) RunRowVector(L, P, planes, inRows, acc, outRows, oy);
            return;
        }

        Span<uint> patch32 = MemoryMarshal.Cast<ulong, uint>(_patch.AsSpan(0, bits * P.Words64));
        int cin = L.InChannels;
        bool vectorDot = _vectorDot && P.Words64 >= 16;
        KernelPaths.Hit(P.Dense ? Paths.PixelsDense : Paths.PixelsWide);
        KernelPaths.Hit(vectorDot ? Paths.PixelsVectorDot : Paths.PixelsScalarDot);
        for (int oy = oyStart; oy < oyEnd; oy++)
        {
            for (int ox = 0; ox < L.OutWidth; ox++)
            {
                patch32.Clear();
                int levelSum = 0;
                bool interior = true;
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * L.Stride - L.PadTop + ky;
                    for (int kx = 0; kx < k; kx++)
                    {
                        int ix = ox * L.Stride - L.PadLeft + kx;
                        if (iy < 0 || iy >= L.InHeight || ix < 0 || ix >= L.InWidth) { interior = false; continue; }
                        int px = (iy % inRows) * L.InWidth + ix, tap = ky * k + kx;
                        levelSum += _levelSums[px];
                        if (P.Dense)
                        {
                            int bit = tap * cin, word = bit >> 6, shift = bit & 63;
                            for (int p = 0; p < bits; p++)
                            {
                                ulong v = planes[px * bits + p];
                                _patch[p * P.Words64 + word] |= v << shift;
                                if (shift + cin > 64) _patch[p * P.Words64 + word + 1] |= v >> (64 - shift);
                            }
                        }
                        else
                        {
                            for (int p = 0; p < bits; p++)
                            {
                                planes.AsSpan((px * bits + p) * wpc, wpc).CopyTo(patch32.Slice(p * 2 * P.Words64 + tap * wpc, wpc));
                            }
                        }
                    }
                }
                int outBase = ((oy % outRows) * L.OutWidth + ox) * L.OutChannels;
                for (int o = 0; o < L.OutChannels; o++)
                {
                    ReadOnlySpan<ulong> w = P.Weights.AsSpan(o * P.Words64, P.Words64);
                    int t1 = 0;
                    for (int p = 0; p < bits; p++)
                    {
                        t1 += DotPopCount(w, _patch.AsSpan(p * P.Words64, P.Words64), vectorDot) << p;
                    }
                    int t3 = interior ? P.FullWeightSums[o] : BorderWeightSum(L, P, o, oy, ox);
                    acc[outBase + o] = 2 * (2 * t1 - levelSum) - z * t3;
                }
            }
        }
    }

    /// <summary>T3 of a pixel whose window crosses the border: the weight sums of its valid taps.</summary>
    private static int BorderWeightSum(ConvLayer L, Prepared P, int o, int oy, int ox)
    {
        int k = L.KernelSize, taps = k * k, t3 = 0;
        for (int ky = 0; ky < k; ky++)
        {
            int iy = oy * L.Stride - L.PadTop + ky;
            if (iy < 0 || iy >= L.InHeight) continue;
            for (int kx = 0; kx < k; kx++)
            {
                int ix = ox * L.Stride - L.PadLeft + kx;
                if (ix >= 0 && ix < L.InWidth) t3 += P.TapWeightSums[o * taps + ky * k + kx];
            }
        }
        return t3;
    }

    /// <summary>Popcount of every nibble value, four times over (one per 128-bit lane of the byte shuffle).</summary>
    private static readonly Vector512<byte> NibbleCounts = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DotPopCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, bool vector)
    {
        if (vector) return DotPopCountAvx512(a, b);
        int c0 = 0, c1 = 0, i = 0;
        for (; i + 1 < a.Length; i += 2)
        {
            c0 += BitOperations.PopCount(a[i] & b[i]);
            c1 += BitOperations.PopCount(a[i + 1] & b[i + 1]);
        }
        if (i < a.Length) c0 += BitOperations.PopCount(a[i] & b[i]);
        return c0 + c1;
    }

    /// <summary>
    /// popcount(a ∧ b) over 512-bit vectors with the nibble-lookup method (Muła, Kurz, Lemire, "Faster population
    /// counts using AVX2 instructions", 2018): two byte shuffles per vector, byte counters summed by SAD every
    /// 31 vectors (31·16 ≤ 255 would overflow at 32), then the scalar tail. .NET 10 has no VPOPCNTQ intrinsic.
    /// </summary>
    private static int DotPopCountAvx512(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        Vector512<byte> lut = NibbleCounts, low = Vector512.Create((byte)0x0F);
        Vector512<ulong> total = Vector512<ulong>.Zero;
        ref ulong pa = ref MemoryMarshal.GetReference(a), pb = ref MemoryMarshal.GetReference(b);
        int vectors = a.Length / 8, i = 0;
        while (i < vectors)
        {
            Vector512<byte> bytes = Vector512<byte>.Zero;
            int end = Math.Min(vectors, i + 31);
            for (; i < end; i++)
            {
                Vector512<byte> v = (Vector512.LoadUnsafe(ref pa, (nuint)(8 * i)) & Vector512.LoadUnsafe(ref pb, (nuint)(8 * i))).AsByte();
                bytes += Avx512BW.Shuffle(lut, v & low) + Avx512BW.Shuffle(lut, Vector512.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & low);
            }
            total += Avx512BW.SumAbsoluteDifferences(bytes, Vector512<byte>.Zero).AsUInt64();
        }
        int count = (int)Vector512.Sum(total);
        for (int j = vectors * 8; j < a.Length; j++) count += BitOperations.PopCount(a[j] & b[j]);
        return count;
    }

    private static Prepared Prepare(ConvLayer L)
    {
        int wpc = L.WordsPerTap, taps = L.KernelSize * L.KernelSize, words = taps * wpc;
        bool dense = wpc == 1;
        int words64 = dense ? (taps * L.InChannels + 63) / 64 : (words + 1) / 2;
        var weights = new ulong[L.OutChannels * words64];
        var tapSums = new int[L.OutChannels * taps];
        var full = new int[L.OutChannels];
        Span<uint> w32 = MemoryMarshal.Cast<ulong, uint>(weights.AsSpan());
        for (int o = 0; o < L.OutChannels; o++)
        {
            if (dense)
            {
                for (int t = 0; t < taps; t++)
                {
                    int bit = t * L.InChannels, word = bit >> 6, shift = bit & 63;
                    ulong v = L.Weights[o * words + t];
                    weights[o * words64 + word] |= v << shift;
                    if (shift + L.InChannels > 64) weights[o * words64 + word + 1] |= v >> (64 - shift);
                }
            }
            else L.Weights.AsSpan(o * words, words).CopyTo(w32.Slice(o * 2 * words64, words));
            for (int t = 0; t < taps; t++)
            {
                int ones = 0;
                for (int w = 0; w < wpc; w++) ones += BitOperations.PopCount(L.Weights[o * words + t * wpc + w]);
                tapSums[o * taps + t] = 2 * ones - L.InChannels;
                full[o] += 2 * ones - L.InChannels;
            }
        }
        return new Prepared { Dense = dense, Words = words, Words64 = words64, Weights = weights, TapWeightSums = tapSums, FullWeightSums = full };
    }
}
