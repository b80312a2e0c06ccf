using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// The tuned kernels of one network: <see cref="TunedStem"/>, <see cref="TunedQuantize"/> (affine layers: the
    /// reference), a conv kernel (<see cref="TunedBinaryConv"/> in the tuned set; the host sets pass their own),
    /// <see cref="TunedResidual"/> with its 16-bit stream overload, and the reference pool.
    /// </summary>
    public class TunedLayerKernels : LayerKernels
    {
        private readonly TunedStem _stem;
        private readonly IBinaryConvKernel _conv;

        /// <param name="rowsOnly">The stem in row mode (no ring of group sums; see TunedStem).</param>
        /// <param name="conv">The conv kernel; owned by these kernels from now on.</param>
        public TunedLayerKernels(Network network, bool rowsOnly, IBinaryConvKernel conv)
        {
            _stem = new TunedStem(network, rowsOnly);
            _conv = conv;
        }

        public override string Name { get { return "tuned"; } }

        /// <summary>The whole frame takes the stem's whole-frame path (its ring of group sums, when it has one).</summary>
        public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
        {
            if (oyStart == 0 && oyEnd == L.Height && outRows == L.Height) _stem.Run(L, pixels, stream);
            else _stem.Run(L, pixels, stream, outRows, oyStart, oyEnd);
        }

        public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
        {
            TunedQuantize.Run(L, input, inRows, planes, outRows, yStart, yEnd);
        }

        public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
        {
            _conv.Run(L, planes, inRows, acc, outRows, oyStart, oyEnd);
        }

        public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
            int[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            TunedResidual.Run(L, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);
        }

        public override bool HasInt16Stream { get { return true; } }

        public override void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows,
            short[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            TunedResidual.Run(L, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);
        }
    }
}
