using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// The head pooling of <see cref="GlobalPoolReference"/> (CONTRACT.md §6) accumulated row by row: Begin clears the
    /// per-class 64-bit sums, Accumulate adds accumulator rows [yStart, yEnd) (row y at slot y % accRows, HWC within a
    /// row), Finish applies the per-class affine and the clamp once every row has been added. Integer sums do not
    /// depend on the order of the additions, so the logits equal the whole-frame kernel's.
    /// </summary>
    public static class GlobalPoolRowsReference
    {
        public static void Begin(GlobalPoolLayer L, long[] sums)
        {
            for (int o = 0; o < L.Classes; o++) sums[o] = 0;
        }

        public static void Accumulate(GlobalPoolLayer L, int[] acc, int accRows, long[] sums, int yStart, int yEnd)
        {
            int classes = L.Classes;
            for (int y = yStart; y < yEnd; y++)
            {
                int rowBase = (y % accRows) * L.Width * classes;
                for (int x = 0; x < L.Width; x++)
                {
                    int px = rowBase + x * classes;
                    for (int o = 0; o < classes; o++) sums[o] += acc[px + o];
                }
            }
        }

        public static void Finish(GlobalPoolLayer L, long[] sums, int[] logits)
        {
            for (int o = 0; o < L.Classes; o++)
            {
                logits[o] = FixedPoint.ClampToInt32(FixedPoint.RoundShift(sums[o] * L.Scale[o] + L.Offset[o], L.Shift));
            }
        }
    }
}
