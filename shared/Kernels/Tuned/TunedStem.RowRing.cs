using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedStem
    {
        /// <summary>
        /// 3×3 stems: the 8 signed sums of a group depend only on the input row, the output column and the channel, not
        /// on the kernel row, so they are computed once per input row into a ring of 3 rows (plus a zero row for rows
        /// outside the image) and shared by the 3 output rows that use it.
        /// </summary>
        private void RunRows(StemLayer L, byte[] pixels, int[] stream)
        {
            int H = L.Height, padTop = L.PadTop, rowLen = L.Width * L.InChannels * 8, zeroBase = 3 * rowLen;
            int[] held = _held;
            held[0] = held[1] = held[2] = -1;
            KernelPaths.Hit(L.InChannels == 3 ? Paths.RingRgb : Paths.RingAnyChannels);
            for (int oy = 0; oy < H; oy++)
            {
                // Ring offsets of the window's three input rows (the zero row for rows outside the image).
                int base0 = zeroBase, base1 = zeroBase, base2 = zeroBase;
                for (int ky = 0; ky < 3; ky++)
                {
                    int iy = oy - padTop + ky;
                    if (iy < 0 || iy >= H) continue;
                    int slot = iy % 3, b = slot * rowLen;
                    if (held[slot] != iy)
                    {
                        held[slot] = iy;
                        FillRingRow(L, pixels, iy, b);
                    }
                    if (ky == 0) base0 = b;
                    else if (ky == 1) base1 = b;
                    else base2 = b;
                }
                if (L.InChannels == 3) OutputRowRgb(L, oy, base0, base1, base2, stream);
                else OutputRowAnyChannels(L, oy, base0, base1, base2, stream);
            }
        }

        /// <summary>The 8 signed sums of every (output column, channel) of input row <paramref name="iy"/>, from ring[b] on.</summary>
        private void FillRingRow(StemLayer L, byte[] pixels, int iy, int b)
        {
            int cin = L.InChannels, W = L.Width, padLeft = L.PadLeft;
            int[] pixelScale = L.PixelScale;
            long[] ring = _ring;
            int rowPix = iy * W;
            for (int ox = 0, si = b; ox < W; ox++)
            {
                int x0 = ox - padLeft;
                for (int c = 0; c < cin; c++, si += 8)
                {
                    long a = pixelScale[c];
                    long v0 = x0 >= 0 && x0 < W ? a * pixels[(rowPix + x0) * cin + c] : 0;
                    long v1 = x0 + 1 >= 0 && x0 + 1 < W ? a * pixels[(rowPix + x0 + 1) * cin + c] : 0;
                    long v2 = x0 + 2 >= 0 && x0 + 2 < W ? a * pixels[(rowPix + x0 + 2) * cin + c] : 0;
                    long all = v0 + v1 + v2, d0 = v0 + v0, d1 = v1 + v1;
                    long s6 = all - d0, s3 = all - v2 - v2;
                    ring[si + 7] = all;           // + + +   (bit kx set: weight of tap kx is +1)
                    ring[si + 6] = s6;            // − + +
                    ring[si + 5] = all - d1;      // + − +
                    ring[si + 4] = s6 - d1;       // − − +
                    ring[si + 3] = s3;            // + + −
                    ring[si + 2] = s3 - d0;       // − + −
                    ring[si + 1] = s3 - d1;       // + − −
                    ring[si] = -all;
                }
            }
        }

        /// <summary>
        /// RGB stems: output channel outer, column inner, so the 9 table offsets of a channel stay in locals for the
        /// whole row.
        /// </summary>
        private void OutputRowRgb(StemLayer L, int oy, int base0, int base1, int base2, int[] stream)
        {
            int cout = L.OutChannels, W = L.Width, shift = L.Shift, pixLen = 3 * 8;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] entry = _rowEntry, colClass = _colClass, borderRow = _borderRow;
            long[] border = _border, ring = _ring;
            int rowCls = _rowClass[oy] * _colClasses;
            for (int ox = 0; ox < W; ox++) borderRow[ox] = (rowCls + colClass[ox]) * cout;
            for (int o = 0, e = 0, rowOut = oy * W * cout; o < cout; o++, e += 9)
            {
                int f0 = base0 + entry[e], f1 = base1 + entry[e + 1], f2 = base2 + entry[e + 2];
                int f3 = base0 + entry[e + 3], f4 = base1 + entry[e + 4], f5 = base2 + entry[e + 5];
                int f6 = base0 + entry[e + 6], f7 = base1 + entry[e + 7], f8 = base2 + entry[e + 8];
                for (int ox = 0, b = 0, si = rowOut + o; ox < W; ox++, b += pixLen, si += cout)
                {
                    long total = border[borderRow[ox] + o]
                        + ring[f0 + b] + ring[f1 + b] + ring[f2 + b]
                        + ring[f3 + b] + ring[f4 + b] + ring[f5 + b]
                        + ring[f6 + b] + ring[f7 + b] + ring[f8 + b];
                    stream[si] = (int)((total + half) >> shift);
                }
            }
        }

        /// <summary>Any other channel count: per output pixel and channel, three table entries per input channel.</summary>
        private void OutputRowAnyChannels(StemLayer L, int oy, int base0, int base1, int base2, int[] stream)
        {
            int cin = L.InChannels, cout = L.OutChannels, W = L.Width, shift = L.Shift, pixLen = cin * 8;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] entry = _rowEntry, colClass = _colClass;
            long[] border = _border, ring = _ring;
            int rowCls = _rowClass[oy] * _colClasses;
            for (int ox = 0, outBase = oy * W * cout; ox < W; ox++)
            {
                int b0 = base0 + ox * pixLen, b1 = base1 + ox * pixLen, b2 = base2 + ox * pixLen;
                int cb = (rowCls + colClass[ox]) * cout;
                for (int o = 0, e = 0; o < cout; o++)
                {
                    long total = border[cb + o];
                    for (int c = 0; c < cin; c++, e += 3)
                    {
                        total += ring[b0 + entry[e]] + ring[b1 + entry[e + 1]] + ring[b2 + entry[e + 2]];
                    }
                    stream[outBase++] = (int)((total + half) >> shift);
                }
            }
        }
    }
}
