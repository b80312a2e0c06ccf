namespace OneBit.Runtime.Model
{
    /// <summary>
    /// Activation quantizer producing b-bit level indices as bit-planes (CONTRACT.md §2–§3): either threshold tables
    /// (exact; blob record kind 2) or a per-channel fixed-point affine map (compact for many levels and channels;
    /// record kind 6 with 32/64-bit numbers, or kind 7 with 24-bit ones; both decode to the same fields).
    /// </summary>
    public sealed class QuantizeLayer : Layer
    {
        public const int FromStream = 0;
        public const int FromAccumulator = 1;

        public const int ThresholdMode = 0;
        public const int AffineMode = 1;

        /// <summary>ThresholdMode: j = #{k : s·X ≥ T_k}. AffineMode: j = clamp((M·X + B) >> Shift, 0, 2^b − 1).</summary>
        public int Mode;

        public override int Kind { get { return LayerKind.Quantize; } }

        public int Source;
        public int Bits;
        /// <summary>Zero code z: level j stands for (Δ/2)(2j − z).</summary>
        public int ZeroCode;
        /// <summary>1 (shared by all channels) or Channels (one row per channel).</summary>
        public int Rows;
        /// <summary>Rows × (2^Bits − 1) nondecreasing thresholds; j = #{k : s·X ≥ T_k}.</summary>
        public int[] Thresholds;
        /// <summary>Rows entries of +1 or −1.</summary>
        public int[] Signs;
        /// <summary>AffineMode: Rows multipliers M, Rows offsets B (64-bit) and the shift.</summary>
        public int[] Multipliers;
        public long[] Offsets;
        public int Shift;
        /// <summary>
        /// AffineMode stored as record kind 7 (CONTRACT.md §8): every M and B/2^OffsetShift fits signed 24 bits and every
        /// B is a multiple of 2^OffsetShift. Only the file form differs; the kernels read Multipliers and Offsets as in kind 6.
        /// </summary>
        public bool CompactAffine;
        /// <summary>k of record kind 7 (0…40): B = B'·2^k.</summary>
        public int OffsetShift;

        public int Height { get; internal set; }
        public int Width { get; internal set; }
        public int Channels { get; internal set; }

        public int ThresholdsPerRow { get { return (1 << Bits) - 1; } }
    }
}
