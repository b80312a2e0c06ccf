using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Reference
{
    /// <summary>The <c>reference</c> set: the contract's plain loops, stateless, the definition every other set matches.</summary>
    public sealed class ReferenceKernelSet : KernelSet
    {
        public static readonly ReferenceKernelSet Instance = new ReferenceKernelSet();

        private static readonly Kernels Shared = new Kernels();

        public override string Name { get { return "reference"; } }

        public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights)
        {
            return Shared;
        }

        private sealed class Kernels : LayerKernels
        {
            public override string Name { get { return "reference"; } }

            public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
            {
                StemConvReference.Run(L, pixels, stream, outRows, oyStart, oyEnd);
            }

            public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
            {
                QuantizeReference.Run(L, input, inRows, planes, outRows, yStart, yEnd);
            }

            public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
            {
                BinaryConvReference.Instance.Run(L, planes, inRows, acc, outRows, oyStart, oyEnd);
            }

            public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
                int[] streamOut, int outRows, int oyStart, int oyEnd)
            {
                ResidualReference.Run(L, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);
            }
        }
    }
}
