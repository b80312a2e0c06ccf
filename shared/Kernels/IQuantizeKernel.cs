using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// A whole-frame activation quantizer (CONTRACT.md §2–§3) a host can plug into <see cref="Execution.NetworkRunner"/>
    /// (its <c>Quantizer</c>), e.g. a SIMD one. It must write every plane word of the layer exactly as
    /// <see cref="Reference.QuantizeReference"/> does, and must not allocate: it is on the per-frame path.
    /// </summary>
    public interface IQuantizeKernel
    {
        string Name { get; }

        /// <summary>Quantizes the layer's H×W×C input (HWC int32) into its bit-planes.</summary>
        void Run(QuantizeLayer layer, int[] input, uint[] planes);
    }
}
