using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// The <c>tuned</c> set: the kernels of this folder, tuned for the nanoCLR interpreter and bit-exact with the
    /// reference set; what the device runs. Its per-network state: the conv plans of <see cref="TunedBinaryConv"/>
    /// (which may take over the conv weights) and the stem tables of <see cref="TunedStem"/> (row mode for the
    /// streaming runner).
    /// </summary>
    public sealed class TunedKernelSet : KernelSet
    {
        public static readonly TunedKernelSet Instance = new TunedKernelSet();

        public override string Name { get { return "tuned"; } }

        public override bool HasInt16Stream { get { return true; } }

        public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights)
        {
            TunedBinaryConv conv = takeOverWeights ? TunedBinaryConv.TakingOverWeights(network) : new TunedBinaryConv(network);
            return new TunedLayerKernels(network, rowsOnly, conv);
        }

        /// <summary>The conv plans and the stem tables (whole-frame: with the ring of group sums; rows: without).</summary>
        public override long StateBytes(Network network, bool rowsOnly)
        {
            return TunedBinaryConv.PlanBytes(network) + (rowsOnly ? TunedStem.RowPlanBytes(network) : TunedStem.PlanBytes(network));
        }

        /// <summary>The blob-layout conv weights, which the plans hold in their own layout.</summary>
        public override long ReleasedParameterBytes(Network network)
        {
            return TunedBinaryConv.SourceWeightBytes(network);
        }
    }
}
