using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// The residual shortcut (CONTRACT.md §5): identity, or 3×3 stride-2 average pool whose divisor counts only
    /// valid cells; channels beyond the input's are zero (the paper's zero-channel extension).
    /// </summary>
    public static class ShortcutReference
    {
        public static void Run(ResidualLayer L, int[] streamIn, int[] streamOut)
        {
            int cin = L.InChannels, cout = L.OutChannels;
            for (int oy = 0; oy < L.OutHeight; oy++)
            {
                for (int ox = 0; ox < L.OutWidth; ox++)
                {
                    int outBase = (oy * L.OutWidth + ox) * cout;
                    for (int c = 0; c < cout; c++)
                    {
                        int v = 0;
                        if (c < cin)
                        {
                            v = L.Shortcut == ResidualLayer.Identity
                                ? streamIn[(oy * L.InWidth + ox) * cin + c]
                                : Pool(L, streamIn, oy, ox, c);
                        }
                        streamOut[outBase + c] = v;
                    }
                }
            }
        }

        private static int Pool(ResidualLayer L, int[] s, int oy, int ox, int c)
        {
            long sum = 0;
            int n = 0;
            for (int ky = 0; ky < 3; ky++)
            {
                int iy = oy * 2 - L.PadTop + ky;
                if (iy < 0 || iy >= L.InHeight) continue;
                for (int kx = 0; kx < 3; kx++)
                {
                    int ix = ox * 2 - L.PadLeft + kx;
                    if (ix < 0 || ix >= L.InWidth) continue;
                    sum += s[(iy * L.InWidth + ix) * L.InChannels + c];
                    n++;
                }
            }
            return (int)FixedPoint.RoundDiv(sum, n);
        }
    }
}
