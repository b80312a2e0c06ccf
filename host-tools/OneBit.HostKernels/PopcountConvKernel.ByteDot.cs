using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OneBit.Runtime.Model;

namespace OneBit.HostKernels;

/// <summary>
/// The byte path of <see cref="PopcountConvKernel"/> for many-bit activations (AVX-VNNI, GFNI, AVX512-VBMI). Bit-serial
/// popcounts cost one pass per plane, so an 8-bit layer pays eight times a 1-bit one; here the levels j are unpacked to
/// one byte per channel and multiplied with ±1 weight bytes by VPDPBUSD (u8 × s8, four products per 32-bit lane):
///   D = Σ_valid Σ_c w_c·j_c = 2·T1 − T2, so acc = 2·D − z·T3 (CONTRACT.md §4).
/// Unpacking transposes each 8-plane × 8-channel bit block with one GF2P8AFFINEQB (Intel SDM, "GF2P8AFFINEQB": with x = 1 &lt;&lt; i
/// in byte i, bit b of the result is bit i of the matrix's byte 7 − b). Rows are zero-padded, so border taps add nothing;
/// T3 comes from the popcount path's per-tap weight sums.
/// </summary>
public sealed partial class PopcountConvKernel
{
    /// <summary>Layers with at least this many activation bits take the byte path: its cost does not grow with the
    /// bits, bit-serial popcounts' does (WRN-20-10 at 8 bits: see HostKernels/README.md).</summary>
    private const int ByteDotMinBits = 5;
    private const int OutBlock = 16;   // output channels per pass: two 8-lane accumulators per pixel
    private const int PixelBlock = 4;  // output pixels per pass: 8 accumulators + 2 weight vectors + 4 broadcasts ≤ 16 ymm

    private sealed class BytePrepared
    {
        public required int Cin4;          // bytes per pixel: input channels rounded up to 4 (zero-filled)
        public required int RowPixels;     // pixels per byte row: left pad, the row, the right pad and the last block's overrun
        public required sbyte[] Weights;   // [ob][ky][kx·Cin4/4 + c4][16 outputs][4 inputs], ±1, 0 past Cin or Cout
    }

    private readonly ConditionalWeakTable<ConvLayer, BytePrepared> _bytePrepared = new();
    private readonly bool _byteDot;
    private byte[] _byteRows = Array.Empty<byte>();  // [slot][RowPixels][Cin4] levels, in the planes' ring slots

    private static bool ByteDotSupported => AvxVnni.IsSupported && Avx512Vbmi.IsSupported && Gfni.V512.IsSupported;

    private static readonly Vector512<byte> UnitBytes = Vector512.Create(0x8040201008040201UL).AsByte();

    /// <summary>vpermb indices: byte m of qword k ← byte k of plane 7 − m (source qword p = plane p).</summary>
    private static readonly Vector512<byte> PlaneTranspose = CreatePlaneTranspose();

    private static Vector512<byte> CreatePlaneTranspose()
    {
        Span<byte> idx = stackalloc byte[64];
        for (int k = 0; k < 8; k++)
            for (int m = 0; m < 8; m++) idx[k * 8 + m] = (byte)((7 - m) * 8 + k);
        return Vector512.Create((ReadOnlySpan<byte>)idx);
    }

    private void RunByteDot(ConvLayer L, Prepared P, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
    {
        BytePrepared B = _bytePrepared.GetValue(L, PrepareBytes);
        int k = L.KernelSize, stride = L.Stride, cin4 = B.Cin4, rowBytes = B.RowPixels * cin4;
        if (_byteRows.Length < inRows * rowBytes) _byteRows = new byte[inRows * rowBytes];

        int firstRow = Math.Max(0, oyStart * stride - L.PadTop), lastRow = Math.Min(L.InHeight, (oyEnd - 1) * stride - L.PadTop + k);
        if (lastRow - firstRow > inRows) firstRow = lastRow - inRows;
        for (int iy = firstRow; iy < lastRow; iy++) UnpackRow(L, B, planes, iy % inRows);

        Span<int> lanes = stackalloc int[OutBlock];
        int steps = k * cin4 / 4, cout = L.OutChannels, outW = L.OutWidth, z = L.ZeroCode;
        ref sbyte w0 = ref MemoryMarshal.GetArrayDataReference(B.Weights);
        ref byte rows = ref MemoryMarshal.GetArrayDataReference(_byteRows);
        for (int oy = oyStart; oy < oyEnd; oy++)
        {
            int iy0 = oy * stride - L.PadTop, outRow = (oy % outRows) * outW;
            bool rowInterior = iy0 >= 0 && iy0 + k <= L.InHeight;
            for (int ob = 0; ob * OutBlock < cout; ob++)
            for (int ox0 = 0; ox0 < outW; ox0 += PixelBlock)
            {
                Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default,
                               a20 = default, a21 = default, a30 = default, a31 = default;
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = iy0 + ky;
                    if (iy < 0 || iy >= L.InHeight) continue;
                    // Output ox's window starts at padded column ox·stride; its k pixels are contiguous.
                    ref byte p0 = ref Unsafe.Add(ref rows, (iy % inRows) * rowBytes + ox0 * stride * cin4);
                    ref byte p1 = ref Unsafe.Add(ref p0, stride * cin4);
                    ref byte p2 = ref Unsafe.Add(ref p1, stride * cin4);
                    ref byte p3 = ref Unsafe.Add(ref p2, stride * cin4);
                    ref sbyte w = ref Unsafe.Add(ref w0, (ob * k + ky) * steps * 64);
                    for (int s = 0; s < steps; s++)
                    {
                        Vector256<sbyte> wa = Vector256.LoadUnsafe(ref w, (nuint)(s * 64)), wb = Vector256.LoadUnsafe(ref w, (nuint)(s * 64 + 32));
                        Vector256<byte> x0 = Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p0, 4 * s))).AsByte();
                        Vector256<byte> x1 = Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p1, 4 * s))).AsByte();
                        Vector256<byte> x2 = Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p2, 4 * s))).AsByte();
                        Vector256<byte> x3 = Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref p3, 4 * s))).AsByte();
                        a00 = AvxVnni.MultiplyWideningAndAdd(a00, x0, wa); a01 = AvxVnni.MultiplyWideningAndAdd(a01, x0, wb);
                        a10 = AvxVnni.MultiplyWideningAndAdd(a10, x1, wa); a11 = AvxVnni.MultiplyWideningAndAdd(a11, x1, wb);
                        a20 = AvxVnni.MultiplyWideningAndAdd(a20, x2, wa); a21 = AvxVnni.MultiplyWideningAndAdd(a21, x2, wb);
                        a30 = AvxVnni.MultiplyWideningAndAdd(a30, x3, wa); a31 = AvxVnni.MultiplyWideningAndAdd(a31, x3, wb);
                    }
                }
                for (int r = 0; r < PixelBlock && ox0 + r < outW; r++)
                {
                    var (lo, hi) = r switch { 0 => (a00, a01), 1 => (a10, a11), 2 => (a20, a21), _ => (a30, a31) };
                    lo.CopyTo(lanes); hi.CopyTo(lanes[8..]);
                    int ox = ox0 + r, ix0 = ox * stride - L.PadLeft, outBase = (outRow + ox) * cout;
                    bool interior = rowInterior && ix0 >= 0 && ix0 + k <= L.InWidth;
                    for (int i = 0, o = ob * OutBlock; i < OutBlock && o < cout; i++, o++)
                        acc[outBase + o] = 2 * lanes[i] - z * (interior ? P.FullWeightSums[o] : BorderWeightSum(L, P, o, oy, ox));
                }
            }
        }
    }

    /// <summary>Input row in ring slot <paramref name="slot"/> to bytes: pads zeroed, then every pixel's levels, 64
    /// channels per transpose. A chunk's store runs up to 63 bytes past the pixel; those bytes are zero (masked
    /// channels) and land on the next pixel, written after it, or on the right pad, which has room for them.</summary>
    private void UnpackRow(ConvLayer L, BytePrepared B, uint[] planes, int slot)
    {
        int cin = L.InChannels, cin4 = B.Cin4, bits = L.Bits, wpc = L.WordsPerTap, planeBytes = wpc * 4;
        int rowBytes = B.RowPixels * cin4, padL = L.PadLeft * cin4;
        Span<byte> row = _byteRows.AsSpan(slot * rowBytes, rowBytes);
        row[..padL].Clear();
        row[(padL + L.InWidth * cin4)..].Clear();
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(planes.AsSpan());
        Span<ulong> q = stackalloc ulong[8];
        for (int ix = 0; ix < L.InWidth; ix++)
        {
            int px = slot * L.InWidth + ix;
            for (int chunk = 0; chunk * 64 < cin; chunk++)
            {
                int at = chunk * 8, left = cin - chunk * 64;
                ulong mask = left >= 64 ? ulong.MaxValue : (1UL << left) - 1;
                for (int p = 0; p < 8; p++)
                {
                    if (p >= bits) { q[p] = 0; continue; }
                    int b = (px * bits + p) * planeBytes + at;
                    // A plane of an odd word count ends half-way through its last qword.
                    ulong v = at + 8 <= planeBytes ? MemoryMarshal.Read<ulong>(src[b..]) : MemoryMarshal.Read<uint>(src[b..]);
                    q[p] = v & mask;
                }
                Vector512<byte> blocks = Avx512Vbmi.PermuteVar64x8(Vector512.Create((ReadOnlySpan<ulong>)q).AsByte(), PlaneTranspose);
                Gfni.V512.GaloisFieldAffineTransform(UnitBytes, blocks, 0).StoreUnsafe(ref row[padL + ix * cin4 + chunk * 64]);
            }
        }
    }

    private static BytePrepared PrepareBytes(ConvLayer L)
    {
        int k = L.KernelSize, cin = L.InChannels, cout = L.OutChannels, wpc = L.WordsPerTap, words = k * k * wpc;
        int cin4 = (cin + 3) & ~3, blocks = (cout + OutBlock - 1) / OutBlock, steps = k * cin4 / 4;
        var weights = new sbyte[blocks * k * steps * 64];
        for (int o = 0; o < cout; o++)
        for (int ky = 0; ky < k; ky++)
        for (int kx = 0; kx < k; kx++)
        for (int c = 0; c < cin; c++)
        {
            int tap = ky * k + kx, s = (kx * cin4 + c) / 4;
            bool plus = (L.Weights[o * words + tap * wpc + (c >> 5)] & (1u << (c & 31))) != 0;
            weights[(((o / OutBlock) * k + ky) * steps + s) * 64 + (o % OutBlock) * 4 + (c & 3)] = (sbyte)(plus ? 1 : -1);
        }
        // The right pad covers the widest window, the last pixel block's overrun and a 64-byte chunk store's tail.
        int lastBlockEnd = ((L.OutWidth + PixelBlock - 1) / PixelBlock * PixelBlock - 1) * L.Stride + k;
        int rowPixels = Math.Max(L.PadLeft + L.InWidth, lastBlockEnd) + (64 + cin4 - 1) / cin4;
        return new BytePrepared { Cin4 = cin4, RowPixels = rowPixels, Weights = weights };
    }
}
