using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>Head pooling: 64-bit sums over all pixels, per-class affine, clamp to int32 (CONTRACT.md §6).</summary>
    public static class GlobalPoolReference
    {
        public static void Run(GlobalPoolLayer L, int[] acc, int[] logits)
        {
            int pixels = L.Height * L.Width;
            for (int o = 0; o < L.Classes; o++)
            {
                long sum = 0;
                for (int px = 0; px < pixels; px++) sum += acc[px * L.Classes + o];
                logits[o] = FixedPoint.ClampToInt32(FixedPoint.RoundShift(sum * L.Scale[o] + L.Offset[o], L.Shift));
            }
        }
    }
}
