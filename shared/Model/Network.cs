namespace OneBit.Runtime.Model
{
    /// <summary>A parsed, validated blob: metadata, layer records in execution order, test vectors, sizes.</summary>
    public sealed class Network
    {
        public string Name;
        public int InputHeight;
        public int InputWidth;
        public int InputChannels;
        public string[] ClassNames;
        /// <summary>F: the residual stream holds value·2^F (CONTRACT.md §5).</summary>
        public int StreamFracBits;
        public Layer[] Layers;
        public TestVector[] TestVectors;

        public int ClassCount { get { return ClassNames.Length; } }
        public int InputBytes { get { return InputHeight * InputWidth * InputChannels; } }

        /// <summary>Largest stream tensor (int32 elements) any record reads or writes.</summary>
        public int MaxStreamInts { get; internal set; }
        /// <summary>Largest activation bit-plane tensor (uint32 words).</summary>
        public int MaxActivationWords { get; internal set; }
        /// <summary>Largest accumulator tensor (int32 elements).</summary>
        public int MaxAccumulatorInts { get; internal set; }
        /// <summary>Bytes of packed weights and folded constants held by the layers.</summary>
        public long ParameterBytes { get; internal set; }
        /// <summary>Highest activation bit width of any quantize layer.</summary>
        public int ActivationBits { get; internal set; }

        /// <summary>Per-frame buffers of the whole-frame runner: two streams, planes, accumulator, the pool's 64-bit
        /// sums and the logits.</summary>
        public long WorkingMemoryBytes
        {
            get
            {
                return 4L * (2L * MaxStreamInts + MaxActivationWords + MaxAccumulatorInts) + 12L * ClassCount;
            }
        }
    }
}
