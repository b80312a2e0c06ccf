using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>
    /// Binary k×k conv, the literal form of CONTRACT.md §4: for every valid tap and channel, rebuild the
    /// level index j from its bit-planes and add w·(2j − z). Invalid (padded) taps add nothing.
    /// </summary>
    public sealed class BinaryConvReference : IBinaryConvKernel
    {
        public static readonly BinaryConvReference Instance = new BinaryConvReference();

        public string Name { get { return "reference"; } }

        public void Run(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
        {
            int k = L.KernelSize, wpc = L.WordsPerTap, bits = L.Bits, z = L.ZeroCode;
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                for (int ox = 0; ox < L.OutWidth; ox++)
                {
                    for (int o = 0; o < L.OutChannels; o++)
                    {
                        int sum = 0;
                        for (int ky = 0; ky < k; ky++)
                        {
                            int iy = oy * L.Stride - L.PadTop + ky;
                            if (iy < 0 || iy >= L.InHeight) continue;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int ix = ox * L.Stride - L.PadLeft + kx;
                                if (ix < 0 || ix >= L.InWidth) continue;
                                int pixel = ((iy % inRows) * L.InWidth + ix) * bits * wpc;
                                int tap = ((o * k + ky) * k + kx) * wpc;
                                for (int c = 0; c < L.InChannels; c++)
                                {
                                    int j = 0;
                                    for (int p = 0; p < bits; p++)
                                    {
                                        if (BitConvention.GetBit(planes, pixel + p * wpc, c)) j |= 1 << p;
                                    }
                                    sum += BitConvention.WeightSign(L.Weights, tap, c) * (2 * j - z);
                                }
                            }
                        }
                        acc[((oy % outRows) * L.OutWidth + ox) * L.OutChannels + o] = sum;
                    }
                }
            }
        }
    }
}
