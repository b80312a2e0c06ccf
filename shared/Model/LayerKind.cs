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

        public static string Name(int kind)
        {
            switch (kind)
            {
                case Stem: return "stem";
                case Quantize: return "quantize";
                case Conv: return "conv";
                case Residual: return "residual";
                case GlobalPool: return "globalpool";
                default: return "kind " + kind.ToString();
            }
        }
    }
}
