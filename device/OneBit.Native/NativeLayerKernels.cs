using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;

namespace OneBit.Native
{
    /// <summary>
    /// The row-range entry points of <see cref="LayerKernels"/> over the firmware's C kernels: each call hands
    /// <see cref="NativeLayers"/> the layer's fields and the runner's arrays themselves. Stateless, so one instance
    /// serves every network and runner. The same mapping as the host's P/Invoke set
    /// (host-tools/OneBit.NativeKernels/NativeLayerKernels.cs), field for field.
    /// </summary>
    internal sealed class NativeLayerKernels : LayerKernels
    {
        public override string Name { get { return "native"; } }

        public override bool HasInt16Stream { get { return true; } }

        public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
        {
            NativeLayers.Stem(L.InChannels, L.OutChannels, L.KernelSize, L.PadTop, L.PadLeft, L.Height, L.Width, L.Shift,
                L.PixelScale, L.WeightSumScale, L.Weights, pixels, stream, outRows, oyStart, oyEnd);
        }

        public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
        {
            NativeLayers.Quantize(L.Mode, L.Bits, L.Rows, L.Height, L.Width, L.Channels, L.Shift, L.Thresholds, L.Signs,
                L.Multipliers, L.Offsets, input, inRows, planes, outRows, yStart, yEnd);
        }

        public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
        {
            NativeLayers.Conv(L.KernelSize, L.Stride, L.PadTop, L.PadLeft, L.InChannels, L.OutChannels, L.InHeight, L.InWidth,
                L.OutHeight, L.OutWidth, L.Bits, L.ZeroCode, L.Weights, planes, inRows, acc, outRows, oyStart, oyEnd);
        }

        public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
            int[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            NativeLayers.Residual(L.Shortcut, L.PadTop, L.PadLeft, L.Shift, L.InHeight, L.InWidth, L.InChannels, L.OutHeight,
                L.OutWidth, L.OutChannels, L.Multipliers, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);
        }

        public override void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows,
            short[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            NativeLayers.Residual16(L.Shortcut, L.PadTop, L.PadLeft, L.Shift, L.InHeight, L.InWidth, L.InChannels, L.OutHeight,
                L.OutWidth, L.OutChannels, L.Multipliers, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);
        }

        public override void Pool(GlobalPoolLayer L, int[] acc, int accRows, long[] sums, int yStart, int yEnd)
        {
            NativeLayers.PoolRows(L.Classes, L.Shift, L.Height, L.Width, acc, accRows, sums, yStart, yEnd);
        }

        public override void PoolFinish(GlobalPoolLayer L, long[] sums, int[] logits)
        {
            NativeLayers.PoolFinish(L.Classes, L.Shift, L.Height, L.Width, L.Scale, L.Offset, sums, logits);
        }
    }
}
