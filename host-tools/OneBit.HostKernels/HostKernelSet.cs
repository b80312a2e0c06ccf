using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.HostKernels;

/// <summary>
/// The host's kernel sets: <c>host</c> (<see cref="PopcountConvKernel"/> with its AVX-512 row and byte paths, the
/// AVX-512 <see cref="VectorQuantizeKernel"/> for whole frames, the tuned stem and residual) and <c>host-scalar</c>
/// (the same conv without its vector paths, the tuned quantizer), for side-by-side timing. Bit-exact with the
/// reference set. Their per-layer tables are built on first use and not accounted (<see cref="KernelSet.StateBytes"/> is 0).
/// </summary>
public sealed class HostKernelSet : KernelSet
{
    public static readonly HostKernelSet Host = new(vector: true);
    public static readonly HostKernelSet Scalar = new(vector: false);

    private readonly bool _vector;

    private HostKernelSet(bool vector) => _vector = vector;

    public override string Name => _vector ? "host" : "host-scalar";

    public override bool HasInt16Stream => true;

    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) =>
        new Kernels(network, rowsOnly, _vector, Name);

    private sealed class Kernels(Network network, bool rowsOnly, bool vector, string name)
        : TunedLayerKernels(network, rowsOnly, new PopcountConvKernel(vectorRows: vector))
    {
        private readonly VectorQuantizeKernel? _quantizer = vector ? new VectorQuantizeKernel() : null;

        public override string Name => name;

        /// <summary>The vector quantizer covers whole frames; row ranges (the streaming runner) take the tuned one.</summary>
        public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
        {
            if (_quantizer != null && yStart == 0 && yEnd == L.Height && inRows == L.Height && outRows == L.Height) _quantizer.Run(L, input, planes);
            else base.Quantize(L, input, inRows, planes, outRows, yStart, yEnd);
        }
    }
}
