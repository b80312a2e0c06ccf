using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;

namespace OneBit.HostKernels;

/// <summary>
/// The row path of <see cref="PopcountConvKernel"/> (AVX-512): a whole output row's patches are gathered first,
/// word-major, so that one broadcast weight word meets eight pixels per 512-bit AND and the popcounts of all eight
/// come out of one SAD (nibble lookup; Muła, Kurz, Lemire 2018). A 16-channel 3×3 layer then pays per eight pixels
/// what the scalar loop pays per pixel.
/// </summary>
public sealed partial class PopcountConvKernel
{
    private ulong[] _rowPatch = Array.Empty<ulong>();   // [(p·Words64 + w)·stride + ox], stride = OutWidth rounded up to 8
    private int[] _rowLevels = Array.Empty<int>();      // [ox]: Σ levels over the pixel's valid taps
    private ulong[] _padPlanes = Array.Empty<ulong>();  // GatherRowVector: [ky·padW + pad + ix] a pixel's plane words
    private int[] _padLevels = Array.Empty<int>();      // GatherRowVector: [ky·padW + pad + ix] its level sum

    /// <summary>Patches of at most this many 64-bit words per plane take the row path (WRN-20-10's widest, 640 channels,
    /// have 90); longer ones go along the patch with <see cref="DotPopCountAvx512"/>.</summary>
    private const int MaxRowVectorWords = 96;

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
        // The vector gather's padded rows hold pad + W ≤ stride + k columns (always so for stride-1 output widths).
        if (L.Stride == 1 && P.Dense && bits == 2 && L.PadLeft + L.InWidth <= stride + k)
        {
            KernelPaths.Hit(Paths.RowsVectorGather);
            GatherRowVector(L, P, planes, inRows, iy0, stride);
        }
        else
        {
            KernelPaths.Hit(Paths.RowsScalarGather);
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
        Span<Vector512<ulong>> w = stackalloc Vector512<ulong>[words];   // ≤ 96 × 64 B on the stack
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
                    Vector512<ulong> plane = Vector512<ulong>.Zero;
                    for (int i0 = 0; i0 < words; i0 += 31)   // ≤ 31 words per SAD: byte counts stay ≤ 248
                    {
                        Vector512<byte> counts = Vector512<byte>.Zero;
                        for (int i = i0, last = Math.Min(words, i0 + 31); i < last; i++)
                        {
                            Vector512<byte> v = (w[i] & Vector512.LoadUnsafe(ref patch0, (nuint)((p * words + i) * stride + x0))).AsByte();
                            counts += Avx512BW.Shuffle(lut, v & low) + Avx512BW.Shuffle(lut, Vector512.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & low);
                        }
                        plane += Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();
                    }
                    t1 += plane << p;
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

    /// <summary>
    /// The gather of <see cref="RunRowVector"/> for stride-1 layers of ≤ 32 channels at 2 bits, eight pixels at a
    /// time. The k input rows are first copied into zero-padded rows (_padPlanes: a pixel's two plane words as one
    /// 64-bit value, plane 1 in the high half, which is the planes' own memory order; _padLevels: its level sum), so
    /// the window of pixels x0…x0+7 at tap (ky, kx) is one unaligned 512-bit load with the borders already zero.
    /// </summary>
    private void GatherRowVector(ConvLayer L, Prepared P, uint[] planes, int inRows, int iy0, int stride)
    {
        int k = L.KernelSize, cin = L.InChannels, words = P.Words64, W = L.InWidth, pad = L.PadLeft;
        int padW = stride + k;
        if (_padPlanes.Length < k * padW) { _padPlanes = new ulong[k * padW]; _padLevels = new int[k * padW]; }
        _padPlanes.AsSpan(0, k * padW).Clear();
        _padLevels.AsSpan(0, k * padW).Clear();
        for (int ky = 0; ky < k; ky++)
        {
            int iy = iy0 + ky;
            if (iy < 0 || iy >= L.InHeight) continue;
            int rb = (iy % inRows) * W, at = ky * padW + pad;
            MemoryMarshal.Cast<uint, ulong>(planes.AsSpan(2 * rb, 2 * W)).CopyTo(_padPlanes.AsSpan(at, W));
            _levelSums.AsSpan(rb, W).CopyTo(_padLevels.AsSpan(at, W));
        }

        Span<Vector512<ulong>> patch = stackalloc Vector512<ulong>[2 * words];
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
                    Vector512<ulong> v0 = v & low32, v1 = v >> 32;
                    patch[word] |= v0 << shift;
                    patch[words + word] |= v1 << shift;
                    if (shift + cin > 64)
                    {
                        patch[word + 1] |= v0 >> (64 - shift);
                        patch[words + word + 1] |= v1 >> (64 - shift);
                    }
                }
            }
            for (int i = 0; i < 2 * words; i++) patch[i].StoreUnsafe(ref _rowPatch[i * stride + x0]);
            level.StoreUnsafe(ref _rowLevels[x0]);
        }
    }
}
