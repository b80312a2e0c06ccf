using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// A binary conv implementation (CONTRACT.md §4). The reference kernel defines the result; every other
    /// implementation must reproduce it bit for bit and is selected by handing it to the runner.
    /// Run must not allocate: it is on the per-frame path.
    /// </summary>
    public interface IBinaryConvKernel
    {
        string Name { get; }

        /// <param name="planes">Activation planes laid out as CONTRACT.md §2.</param>
        /// <param name="acc">Receives OutHeight×OutWidth×OutChannels accumulators, HWC.</param>
        void Run(ConvLayer layer, uint[] planes, int[] acc);
    }
}
