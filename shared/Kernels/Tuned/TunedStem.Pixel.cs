using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedStem
    {
        /// <summary>The Cout outputs of pixel (oy, ox) from the group sums of its window, written from stream[outBase] on.</summary>
        private void Pixel(StemLayer L, byte[] pixels, int oy, int ox, int[] stream, int outBase)
        {
            int k = L.KernelSize, cin = L.InChannels, cout = L.OutChannels, H = L.Height, W = L.Width;
            int padTop = L.PadTop, padLeft = L.PadLeft, shift = L.Shift;
            int groups = k * cin, patterns = 1 << k;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] entry = _entry, pixelScale = L.PixelScale;
            long[] border = _border, values = _values, sums = _sums;
            int groups3 = groups - groups % 3;

            // Scaled input values of the window, grouped by (ky, c), k taps per group.
            for (int ky = 0, g = 0; ky < k; ky++)
            {
                int iy = oy - padTop + ky;
                bool rowValid = iy >= 0 && iy < H;
                for (int c = 0; c < cin; c++, g++)
                {
                    long a = pixelScale[c];
                    for (int kx = 0, vi = g * k; kx < k; kx++, vi++)
                    {
                        int ix = ox - padLeft + kx;
                        values[vi] = rowValid && ix >= 0 && ix < W ? a * pixels[(iy * W + ix) * cin + c] : 0;
                    }
                }
            }

            // Signed sums of every group under every weight pattern (bit kx set = weight +1).
            if (k == 3)
            {
                for (int g = 0, vi = 0, si = 0; g < groups; g++, vi += 3, si += 8)
                {
                    long v0 = values[vi], v1 = values[vi + 1], v2 = values[vi + 2];
                    long all = v0 + v1 + v2, d0 = v0 + v0, d1 = v1 + v1;
                    long s6 = all - d0, s3 = all - v2 - v2;
                    sums[si + 7] = all;           // + + +   (bit kx set: weight of tap kx is +1)
                    sums[si + 6] = s6;            // − + +
                    sums[si + 5] = all - d1;      // + − +
                    sums[si + 4] = s6 - d1;       // − − +
                    sums[si + 3] = s3;            // + + −
                    sums[si + 2] = s3 - d0;       // − + −
                    sums[si + 1] = s3 - d1;       // + − −
                    sums[si] = -all;
                }
            }
            else
            {
                for (int g = 0, si = 0; g < groups; g++)
                {
                    for (int pat = 0; pat < patterns; pat++, si++)
                    {
                        long s = 0;
                        for (int kx = 0; kx < k; kx++)
                        {
                            long v = values[g * k + kx];
                            s += ((pat >> kx) & 1) != 0 ? v : -v;
                        }
                        sums[si] = s;
                    }
                }
            }

            int cb = (_rowClass[oy] * _colClasses + _colClass[ox]) * cout;
            for (int o = 0, e = 0; o < cout; o++)
            {
                long total = border[cb + o];
                int end3 = e + groups3, end = e + groups;
                for (; e < end3; e += 3)
                {
                    total += sums[entry[e]] + sums[entry[e + 1]] + sums[entry[e + 2]];
                }
                for (; e < end; e++) total += sums[entry[e]];
                stream[outBase + o] = (int)((total + half) >> shift);
            }
        }
    }
}
