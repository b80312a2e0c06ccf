namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedBinaryConv
    {
        /// <summary>9 words per plane (3×3 taps of 33–64 channels), 1 bit: straight-line, the patch words in locals.</summary>
        private static void Dot9OneBit(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias)
        {
            ulong p0 = patch[0], p1 = patch[1], p2 = patch[2], p3 = patch[3], p4 = patch[4];
            ulong p5 = patch[5], p6 = patch[6], p7 = patch[7], p8 = patch[8];
            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 9)
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
                ulong b8 = (x & M4) + ((x >> 4) & M4);
                x = weights[wi + 3] & p3;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 4] & p4;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = weights[wi + 5] & p5;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                b8 += (x & M4) + ((x >> 4) & M4);
                x = weights[wi + 6] & p6;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = weights[wi + 7] & p7;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = weights[wi + 8] & p8;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                b8 += (x & M4) + ((x >> 4) & M4);
                b8 = (b8 & L16) + ((b8 >> 8) & L16);
                acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
            }
        }

        /// <summary>9 words per plane, 2 bits: straight-line, both planes in locals; T1 = pc(W ∧ A0) + 2·pc(W ∧ A1) summed at
        /// the byte stage (≤ 72 + 2·72 = 216 per byte), one 16-bit fold.</summary>
        private static void Dot9TwoBits(ulong[] patch, ulong[] weights, int[] acc, int outBase, short[] corr, int cb, int cout, int bias)
        {
            ulong q0 = patch[0], q1 = patch[1], q2 = patch[2], q3 = patch[3], q4 = patch[4], q5 = patch[5], q6 = patch[6], q7 = patch[7], q8 = patch[8];
            ulong r0 = patch[9], r1 = patch[10], r2 = patch[11], r3 = patch[12], r4 = patch[13], r5 = patch[14], r6 = patch[15], r7 = patch[16], r8 = patch[17];
            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 9)
            {
                ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2], w3 = weights[wi + 3], w4 = weights[wi + 4];
                ulong w5 = weights[wi + 5], w6 = weights[wi + 6], w7 = weights[wi + 7], w8 = weights[wi + 8];
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
                x = w3 & q3;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w4 & q4;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w5 & q5;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                b8 += (x & M4) + ((x >> 4) & M4);
                x = w6 & q6;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w7 & q7;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w8 & q8;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                b8 += (x & M4) + ((x >> 4) & M4);
                x = w0 & r0;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w1 & r1;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w2 & r2;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                ulong c8 = (x & M4) + ((x >> 4) & M4);
                x = w3 & r3;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w4 & r4;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w5 & r5;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                c8 += (x & M4) + ((x >> 4) & M4);
                x = w6 & r6;
                x -= (x >> 1) & M1;
                x = (x & M2) + ((x >> 2) & M2);
                y = w7 & r7;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                y = w8 & r8;
                y -= (y >> 1) & M1;
                x += (y & M2) + ((y >> 2) & M2);
                c8 += (x & M4) + ((x >> 4) & M4);
                b8 += c8 << 1;
                b8 = (b8 & L16) + ((b8 >> 8) & L16);
                acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
            }
        }
    }
}
