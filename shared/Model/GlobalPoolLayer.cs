namespace OneBit.Runtime.Model
{
    /// <summary>Global sum pool of the head accumulator and per-class affine to int32 logits (CONTRACT.md §6).</summary>
    public sealed class GlobalPoolLayer : Layer
    {
        public override int Kind { get { return LayerKind.GlobalPool; } }

        public int Classes;
        public int Shift;
        public int[] Scale;
        public long[] Offset;

        public int Height { get; internal set; }
        public int Width { get; internal set; }
    }
}
