using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Row geometry of the layers as the streaming runner sees them: how many rows a layer produces, how long one of
    /// its rows is, and which input rows one output row reads (CONTRACT.md §4–§5): quantize, residual accumulator,
    /// pool: row r; conv: r·stride − padTop … r·stride − padTop + k − 1; identity shortcut: row r; average-pool
    /// shortcut: 2r − padTop … 2r − padTop + 2. The caller clips to the input's rows (the rest is padding).
    /// </summary>
    public static class LayerRows
    {
        /// <summary>Rows of the layer's output (for the pool: rows of the accumulator it consumes).</summary>
        public static int Count(Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Stem: return ((StemLayer)layer).Height;
                case LayerKind.Quantize: return ((QuantizeLayer)layer).Height;
                case LayerKind.Conv: return ((ConvLayer)layer).OutHeight;
                case LayerKind.Residual: return ((ResidualLayer)layer).OutHeight;
                default: return ((GlobalPoolLayer)layer).Height;
            }
        }

        /// <summary>Elements of one output row: W·C int32 for stem, conv and residual, W·bits·wpc words for quantize, 0 for the pool.</summary>
        public static int Elements(Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Stem:
                    StemLayer s = (StemLayer)layer;
                    return s.Width * s.OutChannels;
                case LayerKind.Quantize:
                    QuantizeLayer q = (QuantizeLayer)layer;
                    return q.Width * q.Bits * BitConvention.WordsFor(q.Channels);
                case LayerKind.Conv:
                    ConvLayer c = (ConvLayer)layer;
                    return c.OutWidth * c.OutChannels;
                case LayerKind.Residual:
                    ResidualLayer r = (ResidualLayer)layer;
                    return r.OutWidth * r.OutChannels;
                default:
                    return 0;
            }
        }

        /// <summary>True for the layers that write the stream (stem and residual).</summary>
        public static bool IsStream(Layer layer)
        {
            return layer.Kind == LayerKind.Stem || layer.Kind == LayerKind.Residual;
        }

        /// <summary>First row of input <paramref name="slot"/> (0: stream or only input, 1: a residual's accumulator)
        /// that output row r reads (may be negative: padding).</summary>
        public static int FirstInput(Layer layer, int slot, int r)
        {
            if (layer.Kind == LayerKind.Conv)
            {
                ConvLayer c = (ConvLayer)layer;
                return r * c.Stride - c.PadTop;
            }
            if (layer.Kind == LayerKind.Residual && slot == 0)
            {
                ResidualLayer res = (ResidualLayer)layer;
                return res.Shortcut == ResidualLayer.Identity ? r : 2 * r - res.PadTop;
            }
            return r;
        }

        /// <summary>Last row of input <paramref name="slot"/> that output row r reads (may exceed the input: padding).</summary>
        public static int LastInput(Layer layer, int slot, int r)
        {
            if (layer.Kind == LayerKind.Conv)
            {
                ConvLayer c = (ConvLayer)layer;
                return r * c.Stride - c.PadTop + c.KernelSize - 1;
            }
            if (layer.Kind == LayerKind.Residual && slot == 0)
            {
                ResidualLayer res = (ResidualLayer)layer;
                return res.Shortcut == ResidualLayer.Identity ? r : 2 * r - res.PadTop + 2;
            }
            return r;
        }
    }
}
