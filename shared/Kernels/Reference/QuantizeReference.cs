using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// Threshold activation: j = #{k : s·X ≥ T_k}, written as bit-planes (CONTRACT.md §2–§3). Rows [yStart, yEnd)
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
                        long v = (long)L.Signs[row] * input[inBase + x * L.Channels + c];
                        int j = 0;
                        for (int k = 0; k < per; k++)
                        {
                            if (v >= L.Thresholds[row * per + k]) j++;
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
