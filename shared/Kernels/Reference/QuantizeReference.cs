using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>Threshold activation: j = #{k : s·X ≥ T_k}, written as bit-planes (CONTRACT.md §2–§3).</summary>
    public static class QuantizeReference
    {
        public static void Run(QuantizeLayer L, int[] input, uint[] planes)
        {
            int bits = L.Bits, wpc = BitConvention.WordsFor(L.Channels), per = L.ThresholdsPerRow;
            int pixels = L.Height * L.Width;
            for (int i = 0; i < pixels * bits * wpc; i++) planes[i] = 0;
            for (int px = 0; px < pixels; px++)
            {
                for (int c = 0; c < L.Channels; c++)
                {
                    int row = L.Rows == 1 ? 0 : c;
                    long x = (long)L.Signs[row] * input[px * L.Channels + c];
                    int j = 0;
                    for (int k = 0; k < per; k++)
                    {
                        if (x >= L.Thresholds[row * per + k]) j++;
                    }
                    for (int p = 0; p < bits; p++)
                    {
                        if (((j >> p) & 1) != 0) BitConvention.SetBit(planes, (px * bits + p) * wpc, c);
                    }
                }
            }
        }
    }
}
