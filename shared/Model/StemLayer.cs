namespace OneBit.Runtime.Model
{
    /// <summary>Input affine folded into a binary k×k stride-1 conv on 8-bit pixels (CONTRACT.md §5, Stem).</summary>
    public sealed class StemLayer : Layer
    {
        public override int Kind { get { return LayerKind.Stem; } }

        public int InChannels;
        public int OutChannels;
        public int KernelSize;
        public int PadTop;
        public int PadLeft;
        public int Height;
        public int Width;
        /// <summary>Rounding shift applied to Σ_c (A_c·P + B_c·Q).</summary>
        public int Shift;
        /// <summary>Per input channel multiplier of P = Σ w·u (≈ m·α_c·2^(F+shift)).</summary>
        public int[] PixelScale;
        /// <summary>Per input channel multiplier of Q = Σ w (≈ m·β_c·2^(F+shift)): the exact-border term.</summary>
        public int[] WeightSumScale;
        /// <summary>OutChannels × k × k × wpc(InChannels) words.</summary>
        public uint[] Weights;

        public int WordsPerTap { get { return BitConvention.WordsFor(InChannels); } }
    }
}
