namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedBinaryConv
    {
        /// <summary>
        /// 3 words per plane, 1 bit, 3×3 taps of 9–16 channels and Cout % 4 == 0: words 0 and 1 hold taps 0–7;
        /// tap 8 of four output channels shares one word (16-bit lanes) against the replicated tap-8 activations, counted
        /// once per four; the two-word counts (≤ 128) fit the byte lanes, so one multiply folds each.
        /// </summary>
        private static void Dot3Lanes(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias, ulong[] lanes)
        {
            ulong p0 = patch[0], p1 = patch[1], p8 = patch[2] * 0x0001000100010001UL;
            for (int g = 0, wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; g++, wi += 12)
            {
                ulong z = lanes[g] & p8;
                z -= (z >> 1) & M1;
                z = (z & M2) + ((z >> 2) & M2);
                z = (z + (z >> 4)) & M4;
                z = (z + (z >> 8)) & L16;
                ulong x, y;
                x = weights[wi] & p0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 1] & p1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                x = (x & M4) + ((x >> 4) & M4);
                acc[ai++] = (((int)((x * H01) >> 56) + ((int)z & 0xFF)) << 2) + bias + corr[ci++];
                x = weights[wi + 3] & p0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 4] & p1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                x = (x & M4) + ((x >> 4) & M4);
                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 16) & 0xFF)) << 2) + bias + corr[ci++];
                x = weights[wi + 6] & p0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 7] & p1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                x = (x & M4) + ((x >> 4) & M4);
                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 32) & 0xFF)) << 2) + bias + corr[ci++];
                x = weights[wi + 9] & p0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 10] & p1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                x = (x & M4) + ((x >> 4) & M4);
                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 48))) << 2) + bias + corr[ci++];
            }
        }

        /// <summary>3 words per plane (taps of 9–16 channels, or k = 1), 1 bit: straight-line, the patch in locals; the count
        /// ≤ 192 fits the byte lanes, so one multiply folds it.</summary>
        private static void Dot3OneBit(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias)
        {
            ulong p0 = patch[0], p1 = patch[1], p2 = patch[2];
            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
            {
                ulong x = weights[wi] & p0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                ulong y = weights[wi + 1] & p1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = weights[wi + 2] & p2;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                x = (x & M4) + ((x >> 4) & M4);
                acc[ai++] = ((int)((x * H01) >> 56) << 2) + bias + corr[ci++];
            }
        }

        /// <summary>3 words per plane, 2 bits: T1 = pc(W ∧ A0) + 2·pc(W ∧ A1), both planes at the byte stage (≤ 72 per byte),
        /// one 16-bit fold.</summary>
        private static void Dot3TwoBits(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias)
        {
            ulong q0 = patch[0], q1 = patch[1], q2 = patch[2], r0 = patch[3], r1 = patch[4], r2 = patch[5];
            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
            {
                ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2];
                ulong x = w0 & q0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                ulong y = w1 & q1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w2 & q2;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                ulong b8 = (x & M4) + ((x >> 4) & M4);
                x = w0 & r0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w1 & r1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w2 & r2;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                b8 += ((x & M4) + ((x >> 4) & M4)) << 1;
                b8 = (b8 & L16) + ((b8 >> 8) & L16);
                acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
            }
        }

        /// <summary>3 words per plane, 3 or more bits: the weights in locals, one byte-lane fold per plane.</summary>
        private static void Dot3Planes(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias, int bits)
        {
            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
            {
                ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2];
                int t1 = 0;
                for (int p = 0, pb = 0; p < bits; p++, pb += 3)
                {
                    ulong x = w0 & patch[pb];
                    x -= (x >> 1) & M1;
                    x = (x & M2) + ((x >> 2) & M2);
                    ulong y = w1 & patch[pb + 1];
                    y -= (y >> 1) & M1;
                    x += (y & M2) + ((y >> 2) & M2);
                    y = w2 & patch[pb + 2];
                    y -= (y >> 1) & M1;
                    x += (y & M2) + ((y >> 2) & M2);
                    x = (x & M4) + ((x >> 4) & M4);
                    t1 += (int)((x * H01) >> 56) << p;
                }
                acc[ai++] = (t1 << 2) + bias + corr[ci++];
            }
        }
    }
}
