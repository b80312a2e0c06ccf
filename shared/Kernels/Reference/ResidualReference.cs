using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// The residual shortcut and add of CONTRACT.md §5: S' = shortcut(S) + RoundShift(acc·M, shift), the shortcut being
    /// the identity or the 3×3 stride-2 average pool whose divisor counts only valid cells, with channels beyond the
    /// input's zero (the paper's zero-channel extension). Output rows [oyStart, oyEnd) over ring buffers:
    /// block-input stream row iy at slot iy % inRows of <paramref name="streamIn"/>, accumulator row oy at slot
    /// oy % accRows of <paramref name="acc"/>, output stream row oy to slot oy % outRows of <paramref name="streamOut"/>
    /// (all int32 HWC within a row). The shortcut value is formed as int32 first, then the rounded product is added
    /// with int32 wrap-around. An identity shortcut reads input
    /// row oy; the 3×3 stride-2 average pool reads rows 2·oy − padTop … 2·oy − padTop + 2 (the valid ones).
    /// </summary>
    public static class ResidualReference
    {
        /// <summary>The whole frame: every ring is the full tensor.</summary>
        public static void Run(ResidualLayer L, int[] streamIn, int[] acc, int[] streamOut)
        {
            Run(L, streamIn, L.InHeight, acc, L.OutHeight, streamOut, L.OutHeight, 0, L.OutHeight);
        }

        public static void Run(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
            int[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            int cin = L.InChannels, cout = L.OutChannels;
            bool perChannel = L.Multipliers.Length > 1;
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int accRow = (oy % accRows) * L.OutWidth * cout, outRow = (oy % outRows) * L.OutWidth * cout;
                for (int ox = 0; ox < L.OutWidth; ox++)
                {
                    for (int c = 0; c < cout; c++)
                    {
                        int v = 0;
                        if (c < cin)
                        {
                            v = L.Shortcut == ResidualLayer.Identity
                                ? streamIn[((oy % inRows) * L.InWidth + ox) * cin + c]
                                : Pool(L, streamIn, inRows, oy, ox, c);
                        }
                        int m = L.Multipliers[perChannel ? c : 0];
                        int i = ox * cout + c;
                        streamOut[outRow + i] = (int)(v + FixedPoint.RoundShift((long)acc[accRow + i] * m, L.Shift));
                    }
                }
            }
        }

        private static int Pool(ResidualLayer L, int[] s, int inRows, int oy, int ox, int c)
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
                    sum += s[((iy % inRows) * L.InWidth + ix) * L.InChannels + c];
                    n++;
                }
            }
            return (int)FixedPoint.RoundDiv(sum, n);
        }
    }
}
