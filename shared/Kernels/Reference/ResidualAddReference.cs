using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>S' += RoundShift(acc·M, shift), int32 wrap-around (CONTRACT.md §5).</summary>
    public static class ResidualAddReference
    {
        public static void Run(ResidualLayer L, int[] acc, int[] stream)
        {
            int cout = L.OutChannels, n = L.OutHeight * L.OutWidth * cout;
            bool perChannel = L.Multipliers.Length > 1;
            for (int i = 0; i < n; i++)
            {
                int m = L.Multipliers[perChannel ? i % cout : 0];
                stream[i] = (int)(stream[i] + FixedPoint.RoundShift((long)acc[i] * m, L.Shift));
            }
        }
    }
}
