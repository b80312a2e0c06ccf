using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// A bound on |S| over every stream tensor of a network (stem and residual outputs, CONTRACT.md §5) that holds for
    /// every input frame, computed from the blob's parameters alone (the conv weights are not needed, so it also works
    /// after TunedBinaryConv.TakingOverWeights). When it is at most <see cref="Int16Max"/>, storing the stream in 16 bits
    /// is exact (and the int32 wrap of the contract never happens), which halves the streaming runner's largest rings.
    ///
    /// Stem: per tap, A_c·u + B_c is linear in the pixel u ∈ 0…255, so |Σ_taps w·(A_c·u + B_c)| ≤ k²·Σ_c max(|B_c|,
    /// |255·A_c + B_c|) before the rounding shift. Residual: the average-pool shortcut never leaves the range of its
    /// input and the appended channels are zero, so the output bound is the input bound plus the bound of
    /// RoundShift(acc·M, shift) with |acc| ≤ k²·Cin·(2(L−1) + z) (§4) for the block's last conv.
    /// </summary>
    public static class StreamBound
    {
        public const long Int16Max = short.MaxValue;

        /// <summary>Saturation of the running bound, far below overflow of the 64-bit arithmetic.</summary>
        private const long Cap = 1L << 50;

        /// <summary>The largest |S| any stream tensor of <paramref name="network"/> can hold (saturates at 2^50). The
        /// network must be one the blob reader returned: the conv layers' activation bits and zero code are derived there.</summary>
        public static long Of(Network network)
        {
            long stream = 0, max = 0, acc = 0;
            Layer[] layers = network.Layers;
            for (int i = 0; i < layers.Length; i++)
            {
                switch (layers[i].Kind)
                {
                    case LayerKind.Stem:
                        stream = OfStem((StemLayer)layers[i]);
                        break;
                    case LayerKind.Conv:
                        ConvLayer c = (ConvLayer)layers[i];
                        acc = (long)c.KernelSize * c.KernelSize * c.InChannels * (2L * ((1 << c.Bits) - 1) + c.ZeroCode);
                        continue;
                    case LayerKind.Residual:
                        ResidualLayer r = (ResidualLayer)layers[i];
                        long m = 0;
                        for (int o = 0; o < r.Multipliers.Length; o++)
                        {
                            long a = r.Multipliers[o] < 0 ? -(long)r.Multipliers[o] : r.Multipliers[o];
                            if (a > m) m = a;
                        }
                        stream = Saturate(stream + Shifted(acc * m, r.Shift));
                        break;
                    default:
                        continue;
                }
                if (stream > max) max = stream;
            }
            return max;
        }

        /// <summary>True when every stream value fits a 16-bit signed integer.</summary>
        public static bool FitsInt16(Network network)
        {
            return Of(network) <= Int16Max;
        }

        private static long OfStem(StemLayer L)
        {
            long total = 0;
            long taps = (long)L.KernelSize * L.KernelSize;
            for (int c = 0; c < L.InChannels; c++)
            {
                long b = L.WeightSumScale[c], top = 255L * L.PixelScale[c] + b;
                if (b < 0) b = -b;
                if (top < 0) top = -top;
                total = Saturate(total + taps * (b > top ? b : top));
            }
            return Shifted(total, L.Shift);
        }

        /// <summary>Bound on |RoundShift(v, n)| for |v| ≤ bound: (bound + 2^(n−1)) >> n covers both signs.</summary>
        private static long Shifted(long bound, int n)
        {
            return n == 0 ? bound : (bound + (1L << (n - 1))) >> n;
        }

        private static long Saturate(long v)
        {
            return v > Cap ? Cap : v;
        }
    }
}
