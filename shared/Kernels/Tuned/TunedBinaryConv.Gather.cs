namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedBinaryConv
    {
        /// <summary>
        /// Interior 3×3 window of 16-bit taps (9–16 channels): rows a, b, c (first word of the window's first pixel in
        /// each of its three input rows, <paramref name="pixelWords"/> words per pixel) assembled into 3 patch words per plane
        /// without bounds checks.
        /// </summary>
        private static void GatherInterior16(uint[] planes, ulong[] patch, int a, int b, int c, int pixelWords, int bits, int n)
        {
            int a1 = a + pixelWords, a2 = a1 + pixelWords, b1 = b + pixelWords, b2 = b1 + pixelWords;
            int c1 = c + pixelWords, c2 = c1 + pixelWords;
            for (int p = 0, pb = 0; p < bits; p++, pb += n)
            {
                patch[pb] = planes[a] | ((ulong)planes[a1] << 16) | ((ulong)planes[a2] << 32) | ((ulong)planes[b] << 48);
                patch[pb + 1] = planes[b1] | ((ulong)planes[b2] << 16) | ((ulong)planes[c] << 32) | ((ulong)planes[c1] << 48);
                patch[pb + 2] = planes[c2];
                if (p + 1 == bits) break;
                a++; a1++; a2++; b++; b1++; b2++; c++; c1++; c2++;
            }
        }

        /// <summary>Interior 3×3 window of 32-bit taps (17–32 channels): 5 patch words per plane (see GatherInterior16).</summary>
        private static void GatherInterior32(uint[] planes, ulong[] patch, int a, int b, int c, int pixelWords, int bits, int n)
        {
            int a1 = a + pixelWords, a2 = a1 + pixelWords, b1 = b + pixelWords, b2 = b1 + pixelWords;
            int c1 = c + pixelWords, c2 = c1 + pixelWords;
            for (int p = 0, pb = 0; p < bits; p++, pb += n)
            {
                patch[pb] = planes[a] | ((ulong)planes[a1] << 32);
                patch[pb + 1] = planes[a2] | ((ulong)planes[b] << 32);
                patch[pb + 2] = planes[b1] | ((ulong)planes[b2] << 32);
                patch[pb + 3] = planes[c] | ((ulong)planes[c1] << 32);
                patch[pb + 4] = planes[c2];
                if (p + 1 == bits) break;
                a++; a1++; a2++; b++; b1++; b2++; c++; c1++; c2++;
            }
        }

        /// <summary>Interior 3×3 window of 64-bit taps (33–64 channels, two words per tap): 9 patch words per plane (see
        /// GatherInterior16).</summary>
        private static void GatherInterior64(uint[] planes, ulong[] patch, int a, int b, int c, int pixelWords, int bits, int n)
        {
            int a1 = a + pixelWords, a2 = a1 + pixelWords, b1 = b + pixelWords, b2 = b1 + pixelWords;
            int c1 = c + pixelWords, c2 = c1 + pixelWords;
            for (int p = 0, pb = 0; p < bits; p++, pb += n)
            {
                patch[pb] = planes[a] | ((ulong)planes[a + 1] << 32);
                patch[pb + 1] = planes[a1] | ((ulong)planes[a1 + 1] << 32);
                patch[pb + 2] = planes[a2] | ((ulong)planes[a2 + 1] << 32);
                patch[pb + 3] = planes[b] | ((ulong)planes[b + 1] << 32);
                patch[pb + 4] = planes[b1] | ((ulong)planes[b1 + 1] << 32);
                patch[pb + 5] = planes[b2] | ((ulong)planes[b2 + 1] << 32);
                patch[pb + 6] = planes[c] | ((ulong)planes[c + 1] << 32);
                patch[pb + 7] = planes[c1] | ((ulong)planes[c1 + 1] << 32);
                patch[pb + 8] = planes[c2] | ((ulong)planes[c2 + 1] << 32);
                if (p + 1 == bits) break;
                a += 2; a1 += 2; a2 += 2; b += 2; b1 += 2; b2 += 2; c += 2; c1 += 2; c2 += 2;
            }
        }

        /// <summary>
        /// Any window (borders, other kernel sizes and slot widths): the valid taps' plane words into the zero-filled patch
        /// (plane-major, n words per plane) through the plan's tap map; input row iy at ring slot iy % inRows.
        /// </summary>
        private static void GatherWindow(uint[] planes, int inRows, ulong[] patch, int patchWords, int iy0, int ix0, int k, int inH, int inW,
            int pixelWords, int wpc, int bits, int n, int[] dstWord, int[] dstShift)
        {
            for (int i = 0; i < patchWords; i++) patch[i] = 0;
            for (int ky = 0; ky < k; ky++)
            {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= inH) continue;
                int rowBase = (iy % inRows) * inW;
                for (int kx = 0; kx < k; kx++)
                {
                    int ix = ix0 + kx;
                    if (ix < 0 || ix >= inW) continue;
                    int src = (rowBase + ix) * pixelWords;
                    int tw = (ky * k + kx) * wpc;
                    if (pixelWords == 1)
                    {
                        patch[dstWord[tw]] |= (ulong)planes[src] << dstShift[tw];
                        continue;
                    }
                    for (int w = 0; w < wpc; w++)
                    {
                        int d = dstWord[tw + w], s = dstShift[tw + w];
                        for (int p = 0, pd = d, ps = src + w; p < bits; p++, pd += n, ps += wpc)
                        {
                            patch[pd] |= (ulong)planes[ps] << s;
                        }
                    }
                }
            }
        }

        /// <summary>T2 = Σ_p 2^p popcount(patch_p): once per output pixel, shared by all output channels.</summary>
        private static int PatchCount(ulong[] patch, int n, int bits)
        {
            int t2 = 0;
            for (int p = 0, i = 0; p < bits; p++)
            {
                ulong b16 = 0;
                if (n <= 30)
                {
                    // Three words per step at the nibble stage (≤ 12), bytes ≤ 240, one 16-bit fold per plane.
                    ulong b8 = 0;
                    for (int end3 = i + n - n % 3; i < end3; i += 3)
                    {
                        ulong x = patch[i];
                        x -= (x >> 1) & M1;
                        x = (x & M2) + ((x >> 2) & M2);
                        ulong y = patch[i + 1];
                        y -= (y >> 1) & M1;
                        x += (y & M2) + ((y >> 2) & M2);
                        y = patch[i + 2];
                        y -= (y >> 1) & M1;
                        x += (y & M2) + ((y >> 2) & M2);
                        b8 += (x & M4) + ((x >> 4) & M4);
                    }
                    b16 = (b8 & L16) + ((b8 >> 8) & L16);
                }
                for (int end = (p + 1) * n; i < end; i++)
                {
                    ulong x = patch[i];
                    x -= (x >> 1) & M1;
                    x = (x & M2) + ((x >> 2) & M2);
                    x = (x + (x >> 4)) & M4;
                    b16 += (x + (x >> 8)) & L16; // 16-bit lanes (≤ 16 per word): any n fits
                }
                t2 += (int)((b16 * H0001) >> 48) << p;
            }
            return t2;
        }
    }
}
