using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>Stem: input affine folded into a binary conv on 8-bit pixels, exact borders (CONTRACT.md §5).</summary>
    public static class StemConvReference
    {
        /// <param name="pixels">H×W×Cin bytes, HWC.</param>
        /// <param name="stream">Receives H×W×Cout int32 stream values (value·2^F).</param>
        public static void Run(StemLayer L, byte[] pixels, int[] stream)
        {
            int k = L.KernelSize, wpc = L.WordsPerTap;
            for (int oy = 0; oy < L.Height; oy++)
            {
                for (int ox = 0; ox < L.Width; ox++)
                {
                    for (int o = 0; o < L.OutChannels; o++)
                    {
                        long total = 0;
                        for (int c = 0; c < L.InChannels; c++)
                        {
                            long p = 0, q = 0;
                            for (int ky = 0; ky < k; ky++)
                            {
                                int iy = oy - L.PadTop + ky;
                                if (iy < 0 || iy >= L.Height) continue;
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int ix = ox - L.PadLeft + kx;
                                    if (ix < 0 || ix >= L.Width) continue;
                                    int w = BitConvention.WeightSign(L.Weights, ((o * k + ky) * k + kx) * wpc, c);
                                    p += w * pixels[(iy * L.Width + ix) * L.InChannels + c];
                                    q += w;
                                }
                            }
                            total += (long)L.PixelScale[c] * p + (long)L.WeightSumScale[c] * q;
                        }
                        stream[(oy * L.Width + ox) * L.OutChannels + o] = (int)FixedPoint.RoundShift(total, L.Shift);
                    }
                }
            }
        }
    }
}
