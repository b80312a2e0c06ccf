namespace OneBit.Runtime.Model
{
    /// <summary>S' = shortcut(S) + RoundShift(acc·M, shift) (CONTRACT.md §5, Residual add).</summary>
    public sealed class ResidualLayer : Layer
    {
        public const int Identity = 0;
        public const int AvgPool3x3Stride2 = 1;

        public override int Kind { get { return LayerKind.Residual; } }

        public int Shortcut;
        public int PadTop;
        public int PadLeft;
        public int Shift;
        /// <summary>1 (per layer) or OutChannels entries.</summary>
        public int[] Multipliers;

        public int InHeight { get; internal set; }
        public int InWidth { get; internal set; }
        public int InChannels { get; internal set; }
        public int OutHeight { get; internal set; }
        public int OutWidth { get; internal set; }
        public int OutChannels { get; internal set; }
    }
}
