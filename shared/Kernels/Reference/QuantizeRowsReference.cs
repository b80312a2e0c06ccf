using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// The threshold activation of <see cref="QuantizeReference"/> (CONTRACT.md §2–§3) for rows [yStart, yEnd) over
    /// ring buffers: input row y is at row slot y % inRows of <paramref name="input"/> (int32 HWC within a row), output
    /// row y goes to row slot y % outRows of <paramref name="planes"/> (layout of CONTRACT.md §2 within a row). The
    /// output row's words are cleared first, so padding bits stay zero whatever the slot held before.
    /// </summary>
    public static class QuantizeRowsReference
    {
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
