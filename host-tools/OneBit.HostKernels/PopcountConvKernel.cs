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
/// <para>Layers with short patches (up to 15 words per plane: every conv of the device-class models) go through
/// <see cref="RunRowVector"/> on AVX-512 hardware: a whole output row's patches are gathered first, word-major, so that one broadcast weight word
/// meets eight pixels per 512-bit AND and the popcounts of all eight come out of one SAD (nibble lookup, Muła et al.).
/// Small layers then pay per eight pixels what the scalar loop pays per pixel.</para>
/// </summary>
public sealed class PopcountConvKernel : IBinaryConvKernel
{
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
    private ulong[] _patch = Array.Empty<ulong>();
    private int[] _levelSums = Array.Empty<int>();
    private ulong[] _rowPatch = Array.Empty<ulong>();   // [(p·Words64 + w)·stride + ox], stride = OutWidth rounded up to 8
    private int[] _rowLevels = Array.Empty<int>();      // [ox]: Σ levels over the pixel's valid taps
    private ulong[] _padPlanes = Array.Empty<ulong>();  // GatherRowVector: [ky·padW + pad + ix] a pixel's plane words
    private int[] _padLevels = Array.Empty<int>();      // GatherRowVector: [ky·padW + pad + ix] its level sum

    /// <param name="vectorRows">False: the scalar per-pixel path for every layer (what machines without AVX-512 run;
    /// tests use it to keep that path covered on machines that have it).</param>
    public PopcountConvKernel(bool vectorRows = true)
    {
        _vectorRows = vectorRows && Avx512BW.IsSupported;
    }

    public string Name => _vectorRows ? "popcount64+avx512rows" : "popcount64";

    public void Run(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
    {
        Prepared P = _prepared.GetValue(L, Prepare);
        int k = L.KernelSize, wpc = L.WordsPerTap, bits = L.Bits, z = L.ZeroCode, taps = k * k;
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

        if (_vectorRows && P.Words64 <= MaxRowVectorWords)
        {
            for (int oy = oyStart; oy < oyEnd; oy++) RunRowVector(L, P, planes, inRows, acc, outRows, oy);
            return;
        }

        Span<uint> patch32 = MemoryMarshal.Cast<ulong, uint>(_patch.AsSpan(0, bits * P.Words64));
        int cin = L.InChannels;
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
                        t1 += DotPopCount(w, _patch.AsSpan(p * P.Words64, P.Words64)) << p;
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

    /// <summary>Patches of at most this many 64-bit words per plane take the row path (byte counts stay ≤ 15·8 before
    /// their SAD); longer ones are already vectorized along the patch by <see cref="DotPopCountAvx512"/>.</summary>
    private const int MaxRowVectorWords = 15;

    /// <summary>
    /// One output row of a layer with short patches, eight pixels per vector. Gather: every pixel's patch words go to
    /// _rowPatch[(p·Words64 + w)·stride + ox] (pixels past the row stay zero and are never stored). Then per output
    /// channel and group of eight pixels: T1 = Σ_p 2^p Σ_w popcount(W_w ∧ A_{p,w}) with the byte counts of a plane
    /// summed before one SAD turns them into eight 64-bit lane counts.
    /// </summary>
    private void RunRowVector(ConvLayer L, Prepared P, uint[] planes, int inRows, int[] acc, int outRows, int oy)
    {
        int k = L.KernelSize, bits = L.Bits, z = L.ZeroCode, cin = L.InChannels, cout = L.OutChannels, wpc = L.WordsPerTap;
        int outW = L.OutWidth, stride = (outW + 7) & ~7, words = P.Words64;
        if (_rowPatch.Length < bits * words * stride) _rowPatch = new ulong[bits * words * stride];
        if (_rowLevels.Length < stride) _rowLevels = new int[stride];
        ulong[] rowPatch = _rowPatch;
        int iy0 = oy * L.Stride - L.PadTop;
        bool rowInterior = iy0 >= 0 && iy0 + k <= L.InHeight;
        if (L.Stride == 1 && P.Dense && bits <= 2) GatherRowVector(L, P, planes, inRows, iy0, stride);
        else
        {
            rowPatch.AsSpan(0, bits * words * stride).Clear();
            for (int ox = 0; ox < outW; ox++)
            {
                int level = 0, ix0 = ox * L.Stride - L.PadLeft;
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = iy0 + ky;
                    if (iy < 0 || iy >= L.InHeight) continue;
                    for (int kx = 0; kx < k; kx++)
                    {
                        int ix = ix0 + kx;
                        if (ix < 0 || ix >= L.InWidth) continue;
                        int px = (iy % inRows) * L.InWidth + ix, tap = ky * k + kx;
                        level += _levelSums[px];
                        if (P.Dense)
                        {
                            int bit = tap * cin, word = bit >> 6, shift = bit & 63;
                            for (int p = 0; p < bits; p++)
                            {
                                ulong v = planes[px * bits + p];
                                int at = (p * words + word) * stride + ox;
                                rowPatch[at] |= v << shift;
                                if (shift + cin > 64) rowPatch[at + stride] |= v >> (64 - shift);
                            }
                        }
                        else
                        {
                            // 32-bit word j = tap·wpc + i of the plane is half j & 1 of 64-bit word j >> 1, as in the weights.
                            for (int p = 0; p < bits; p++)
                            {
                                for (int i = 0, j = tap * wpc; i < wpc; i++, j++)
                                    rowPatch[(p * words + (j >> 1)) * stride + ox] |= (ulong)planes[(px * bits + p) * wpc + i] << ((j & 1) << 5);
                            }
                        }
                    }
                }
                _rowLevels[ox] = level;
            }
        }

        // Columns whose window crosses the left or right border: [0, leftBorder) and [rightBorder, outW).
        int leftBorder = Math.Min(outW, (L.PadLeft + L.Stride - 1) / L.Stride);
        int span = L.InWidth - k + L.PadLeft;   // the last interior column has ox·stride ≤ span
        int rightBorder = span < 0 ? leftBorder : Math.Max(leftBorder, Math.Min(outW, span / L.Stride + 1));

        Vector512<byte> lut = NibbleCounts, low = Vector512.Create((byte)0x0F);
        Span<Vector512<ulong>> w = stackalloc Vector512<ulong>[words];
        Span<int> result = stackalloc int[8];
        ref ulong patch0 = ref MemoryMarshal.GetArrayDataReference(rowPatch);
        ref int levels0 = ref MemoryMarshal.GetArrayDataReference(_rowLevels);
        int rowOut = (oy % outRows) * outW * cout;
        for (int o = 0; o < cout; o++)
        {
            for (int i = 0; i < words; i++) w[i] = Vector512.Create(P.Weights[o * words + i]);
            int full = P.FullWeightSums[o];
            Vector256<int> zFull = Vector256.Create(z * full);
            for (int x0 = 0; x0 < outW; x0 += 8)
            {
                Vector512<ulong> t1 = Vector512<ulong>.Zero;
                for (int p = 0; p < bits; p++)
                {
                    Vector512<byte> counts = Vector512<byte>.Zero;
                    for (int i = 0; i < words; i++)
                    {
                        Vector512<byte> v = (w[i] & Vector512.LoadUnsafe(ref patch0, (nuint)((p * words + i) * stride + x0))).AsByte();
                        counts += Avx512BW.Shuffle(lut, v & low) + Avx512BW.Shuffle(lut, Vector512.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & low);
                    }
                    t1 += Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64() << p;
                }
                // acc = 4·T1 − 2·T2 − z·T3 for eight pixels at once, T3 = the full weight sum (interior windows).
                Vector256<int> r = Avx512F.ConvertToVector256Int32(t1.AsInt64()) * 4 - Vector256.LoadUnsafe(ref levels0, (nuint)x0) * 2 - zFull;
                r.StoreUnsafe(ref MemoryMarshal.GetReference(result));
                int end = Math.Min(8, outW - x0), at = rowOut + x0 * cout + o;
                for (int lane = 0; lane < end; lane++, at += cout) acc[at] = result[lane];
                if (z != 0 && (!rowInterior || x0 < leftBorder || x0 + end > rightBorder))
                {
                    for (int lane = 0; lane < end; lane++)
                    {
                        int ox = x0 + lane;
                        if (rowInterior && ox >= leftBorder && ox < rightBorder) continue;
                        acc[rowOut + ox * cout + o] = result[lane] + z * (full - BorderWeightSum(L, P, o, oy, ox));
                    }
                }
            }
        }
    }

    /// <summary>Popcount of every nibble value, four times over (one per 128-bit lane of the byte shuffle).</summary>
    private static readonly Vector512<byte> NibbleCounts = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);

    /// <summary>
    /// The gather of <see cref="RunRowVector"/> for stride-1 layers of ≤ 32 channels at 1 or 2 bits, eight pixels at a
    /// time. The k input rows are first copied into zero-padded rows (_padPlanes: a pixel's one or two plane words as
    /// one 64-bit value, plane 1 in the high half, which is the planes' own memory order at 2 bits; _padLevels: its
    /// level sum), so the window of pixels x0…x0+7 at tap (ky, kx) is one unaligned 512-bit load with the borders
    /// already zero.
    /// </summary>
    private void GatherRowVector(ConvLayer L, Prepared P, uint[] planes, int inRows, int iy0, int stride)
    {
        int k = L.KernelSize, bits = L.Bits, cin = L.InChannels, words = P.Words64, W = L.InWidth, pad = L.PadLeft;
        int padW = stride + k;
        if (_padPlanes.Length < k * padW) { _padPlanes = new ulong[k * padW]; _padLevels = new int[k * padW]; }
        _padPlanes.AsSpan(0, k * padW).Clear();
        _padLevels.AsSpan(0, k * padW).Clear();
        for (int ky = 0; ky < k; ky++)
        {
            int iy = iy0 + ky;
            if (iy < 0 || iy >= L.InHeight) continue;
            int rb = (iy % inRows) * W, at = ky * padW + pad;
            if (bits == 2) MemoryMarshal.Cast<uint, ulong>(planes.AsSpan(2 * rb, 2 * W)).CopyTo(_padPlanes.AsSpan(at, W));
            else for (int ix = 0; ix < W; ix++) _padPlanes[at + ix] = planes[rb + ix];
            _levelSums.AsSpan(rb, W).CopyTo(_padLevels.AsSpan(at, W));
        }

        Span<Vector512<ulong>> patch = stackalloc Vector512<ulong>[bits * words];
        Vector512<ulong> low32 = Vector512.Create(0xFFFF_FFFFUL);
        ref ulong pad0 = ref MemoryMarshal.GetArrayDataReference(_padPlanes);
        ref int levels0 = ref MemoryMarshal.GetArrayDataReference(_padLevels);
        for (int x0 = 0; x0 < L.OutWidth; x0 += 8)
        {
            patch.Clear();
            Vector256<int> level = Vector256<int>.Zero;
            for (int ky = 0; ky < k; ky++)
            {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= L.InHeight) continue;
                for (int kx = 0; kx < k; kx++)
                {
                    int at = ky * padW + x0 + kx, bit = (ky * k + kx) * cin, word = bit >> 6, shift = bit & 63;
                    Vector512<ulong> v = Vector512.LoadUnsafe(ref pad0, (nuint)at);
                    level += Vector256.LoadUnsafe(ref levels0, (nuint)at);
                    Vector512<ulong> v0 = bits == 2 ? v & low32 : v;
                    patch[word] |= v0 << shift;
                    if (shift + cin > 64) patch[word + 1] |= v0 >> (64 - shift);
                    if (bits == 2)
                    {
                        Vector512<ulong> v1 = v >> 32;
                        patch[words + word] |= v1 << shift;
                        if (shift + cin > 64) patch[words + word + 1] |= v1 >> (64 - shift);
                    }
                }
            }
            for (int i = 0; i < bits * words; i++) patch[i].StoreUnsafe(ref _rowPatch[i * stride + x0]);
            level.StoreUnsafe(ref _rowLevels[x0]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DotPopCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length >= 16 && Avx512BW.IsSupported) return DotPopCountAvx512(a, b);
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
