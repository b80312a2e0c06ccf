namespace OneBit.Runtime.Model
{
    /// <summary>Layer record kinds of blob format v1 (CONTRACT.md §7–§8).</summary>
    public static class LayerKind
    {
        public const int Stem = 1;
        public const int Quantize = 2;
        public const int Conv = 3;
        public const int Residual = 4;
        public const int GlobalPool = 5;
        /// <summary>Blob record kind of a quantize layer in affine mode; parsed into a QuantizeLayer (Kind = Quantize).</summary>
        public const int QuantizeAffineRecord = 6;
        /// <summary>Blob record kind of a quantize layer in affine mode with 24-bit M and B' (B = B'·2^k); parsed like kind 6.</summary>
        public const int QuantizeCompactAffineRecord = 7;

        public static string Name(int kind)
        {
            switch (kind)
            {
                case Stem: return "stem";
                case Quantize: return "quantize";
                case Conv: return "conv";
                case Residual: return "residual";
                case GlobalPool: return "globalpool";
                case QuantizeAffineRecord: return "quantize (affine)";
                case QuantizeCompactAffineRecord: return "quantize (compact affine)";
                default: return "kind " + kind.ToString();
            }
        }
    }
}
