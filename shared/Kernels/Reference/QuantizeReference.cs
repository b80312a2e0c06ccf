using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// Activation quantizer, written as bit-planes (CONTRACT.md §2–§3): j = #{k : s·X ≥ T_k} (threshold mode) or
    /// j = clamp((M·X + B) >> shift, 0, L−1) with an arithmetic (floor) shift in 64 bits (affine mode). Rows [yStart, yEnd)
    /// of the input ring (row y at slot y % inRows) go to the planes ring (slot y % outRows); each output row is
    /// cleared first, so padding bits stay zero. The whole frame is rows [0, H) with both rings of H rows.
    /// </summary>
    public static class QuantizeReference
    {
        public static void Run(QuantizeLayer L, int[] input, uint[] planes)
        {
            Run(L, input, L.Height, planes, L.Height, 0, L.Height);
        }

        public static void Run(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
        {
            int bits = L.Bits, wpc = BitConvention.WordsFor(L.Channels), per = L.ThresholdsPerRow;
            int rowWords = L.Width * bits * wpc, rowInts = L.Width * L.Channels;
            for (int y = yStart; y < yEnd; y++)
            {
                int inBase = (y % inRows) * rowInts, outBase = (y % outRows) * rowWords;
                for (int i = 0; i < rowWords; i++) planes[outBase + i] = 0;
                for (int x = 0; x < L.Width; x++)
                {
                    for (int c = 0; c < L.Channels; c++)
                    {
                        int row = L.Rows == 1 ? 0 : c;
                        int j = 0;
                        if (L.Mode == QuantizeLayer.AffineMode)
                        {
                            long a = ((long)L.Multipliers[row] * input[inBase + x * L.Channels + c] + L.Offsets[row]) >> L.Shift;
                            j = a < 0 ? 0 : a > per ? per : (int)a;
                        }
                        else
                        {
                            long v = (long)L.Signs[row] * input[inBase + x * L.Channels + c];
                            for (int k = 0; k < per; k++)
                            {
                                if (v >= L.Thresholds[row * per + k]) j++;
                            }
                        }
                        for (int p = 0; p < bits; p++)
                        {
                            if (((j >> p) & 1) != 0) BitConvention.SetBit(planes, outBase + (x * bits + p) * wpc, c);
                        }
                    }
                }
            }
        }
    }
}
