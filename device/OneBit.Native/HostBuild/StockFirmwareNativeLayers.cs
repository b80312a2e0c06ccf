using System;

namespace OneBit.Native
{
    /// <summary>
    /// NativeLayers (../NativeLayers.cs) on stock firmware: nanoCLR throws NotSupportedException for an extern method
    /// whose assembly has no native table (checked on the posix nanoCLR, device/OneBit.Native/README.md). Same
    /// signatures, so the host build compiles the device's NativeKernelSet and NativeLayerKernels unchanged.
    /// </summary>
    public static class NativeLayers
    {
        public static int InteropVersion()
        {
            throw Stock();
        }

        public static void Conv(int kernel, int stride, int padTop, int padLeft, int inChannels, int outChannels,
            int inHeight, int inWidth, int outHeight, int outWidth, int bits, int zeroCode,
            uint[] weights, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
        {
            throw Stock();
        }

        public static void Stem(int inChannels, int outChannels, int kernel, int padTop, int padLeft, int height, int width,
            int shift, int[] pixelScale, int[] weightSumScale, uint[] weights, byte[] pixels, int[] stream, int outRows,
            int oyStart, int oyEnd)
        {
            throw Stock();
        }

        public static void Quantize(int mode, int bits, int rows, int height, int width, int channels, int shift,
            int[] thresholds, int[] signs, int[] multipliers, long[] offsets, int[] input, int inRows, uint[] planes,
            int outRows, int yStart, int yEnd)
        {
            throw Stock();
        }

        public static void Residual(int shortcut, int padTop, int padLeft, int shift, int inHeight, int inWidth,
            int inChannels, int outHeight, int outWidth, int outChannels, int[] multipliers, int[] streamIn, int inRows,
            int[] acc, int accRows, int[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            throw Stock();
        }

        public static void Residual16(int shortcut, int padTop, int padLeft, int shift, int inHeight, int inWidth,
            int inChannels, int outHeight, int outWidth, int outChannels, int[] multipliers, short[] streamIn, int inRows,
            int[] acc, int accRows, short[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            throw Stock();
        }

        public static void PoolRows(int classes, int shift, int height, int width, int[] acc, int accRows, long[] sums,
            int yStart, int yEnd)
        {
            throw Stock();
        }

        public static void PoolFinish(int classes, int shift, int height, int width, int[] scale, long[] offset,
            long[] sums, int[] logits)
        {
            throw Stock();
        }

        public static void Preprocess(int format, int srcWidth, int srcHeight, int outHeight, int outWidth, int outChannels,
            int[] x0, int[] x1, int[] y0, int[] y1, byte[] frame, byte[] input)
        {
            throw Stock();
        }

        private static Exception Stock()
        {
            return new NotSupportedException("no native code for OneBit.Native in this firmware");
        }
    }
}
