namespace OneBit.Runtime.Model
{
    /// <summary>Binary k×k conv over b-bit activation planes, true-zero padding (CONTRACT.md §4).</summary>
    public sealed class ConvLayer : Layer
    {
        public override int Kind { get { return LayerKind.Conv; } }

        public int KernelSize;
        public int Stride;
        public int PadTop;
        public int PadLeft;
        public int InChannels;
        public int OutChannels;
        /// <summary>OutChannels × k × k × wpc(InChannels) words.</summary>
        public uint[] Weights;

        public int InHeight { get; internal set; }
        public int InWidth { get; internal set; }
        public int OutHeight { get; internal set; }
        public int OutWidth { get; internal set; }
        /// <summary>Bits and zero code of the activation this conv consumes (from the preceding quantize).</summary>
        public int Bits { get; internal set; }
        public int ZeroCode { get; internal set; }

        public int WordsPerTap { get { return BitConvention.WordsFor(InChannels); } }
    }
}
