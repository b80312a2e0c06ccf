namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedBinaryConv
    {
        /// <summary>Any other patch of n ≤ 30 words per plane, any bits: one chunk per plane, groups of three words summed at
        /// the nibble stage, bytes ≤ 240, one 16-bit fold.</summary>
        private static void DotShort(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias, int n, int bits)
        {
            int n3 = n - n % 3;
            for (int o = 0, wo = 0, ai = outBase, ci = cb; o < cout; o++, wo += n)
            {
                int t1 = 0;
                for (int p = 0, pb = 0; p < bits; p++, pb += n)
                {
                    ulong b8 = 0;
                    int i = pb, wi = wo, end3 = pb + n3, end = pb + n;
                    for (; i < end3; i += 3, wi += 3)
                    {
                        ulong x = weights[wi] & patch[i];
                        x -= (x >> 1) & M1;
                        x = (x & M2) + ((x >> 2) & M2);
                        ulong y = weights[wi + 1] & patch[i + 1];
                        y -= (y >> 1) & M1;
                        x += (y & M2) + ((y >> 2) & M2);
                        y = weights[wi + 2] & patch[i + 2];
                        y -= (y >> 1) & M1;
                        x += (y & M2) + ((y >> 2) & M2);
                        b8 += (x & M4) + ((x >> 4) & M4);
                    }
                    for (; i < end; i++, wi++)
                    {
                        ulong x = weights[wi] & patch[i];
                        x -= (x >> 1) & M1;
                        x = (x & M2) + ((x >> 2) & M2);
                        b8 += (x & M4) + ((x >> 4) & M4);
                    }
                    b8 = (b8 & L16) + ((b8 >> 8) & L16);
                    t1 += (int)((b8 * H0001) >> 48) << p;
                }
                acc[ai++] = (t1 << 2) + bias + corr[ci++];
            }
        }

        /// <summary>Wide layers (n > 30 words per plane, Cin ≥ ~220): chunks of ≤ 30 words keep the byte lanes from
        /// overflowing.</summary>
        private static void DotLong(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias, int n, int bits)
        {
            for (int o = 0, wo = 0; o < cout; o++, wo += n)
            {
                int t1 = 0;
                for (int p = 0, pb = 0; p < bits; p++, pb += n)
                {
                    int i = pb, wi = wo, end = pb + n, tp = 0;
                    while (i < end)
                    {
                        int chunkEnd = i + 30 < end ? i + 30 : end;
                        ulong b8 = 0;
                        for (; i + 3 <= chunkEnd; i += 3, wi += 3)
                        {
                            ulong x = weights[wi] & patch[i];
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            ulong y = weights[wi + 1] & patch[i + 1];
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = weights[wi + 2] & patch[i + 2];
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                        }
                        for (; i < chunkEnd; i++, wi++)
                        {
                            ulong x = weights[wi] & patch[i];
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                        }
                        b8 = (b8 & L16) + ((b8 >> 8) & L16);
                        tp += (int)((b8 * H0001) >> 48);
                    }
                    t1 += tp << p;
                }
                acc[outBase + o] = (t1 << 2) + bias + corr[cb + o];
            }
        }
    }
}
