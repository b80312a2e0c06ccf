using System.Runtime.CompilerServices;

namespace OneBit.Native
{
    /// <summary>
    /// The firmware's entry points: one extern per row-range kernel of native/onebit_kernels/include/onebit_kernels.h and
    /// one for its frame preprocessor,
    /// implemented by native/onebit_interop (C++ glue in nanoCLR's conventions). The layer's fields go as ints and the
    /// C# plans' arrays as themselves (nanoCLR passes references, nothing is copied); the glue checks nulls, element
    /// types, every length and row index before it calls the C kernel, and throws ArgumentException
    /// (CLR_E_INVALID_PARAMETER: a field outside the contract) or ArgumentOutOfRangeException-like CLR_E_OUT_OF_RANGE
    /// (a ring or buffer too short, rows outside the tensor) instead of touching memory out of bounds.
    /// On firmware without the library every call throws NotSupportedException.
    /// The native-methods checksum covers these names and signatures: change one and the firmware's table
    /// (native/onebit_interop/generated, written by `OneBit.BenchImage interop-stubs`) must be regenerated with it.
    /// </summary>
    public static class NativeLayers
    {
        /// <summary>ONEBIT_INTEROP_VERSION of the firmware's glue.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int InteropVersion();

        /// <summary>ob_conv_rows: fields of ConvLayer, then the buffers.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Conv(int kernel, int stride, int padTop, int padLeft, int inChannels, int outChannels,
            int inHeight, int inWidth, int outHeight, int outWidth, int bits, int zeroCode,
            uint[] weights, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd);

        /// <summary>ob_stem_rows: fields of StemLayer, then its scales and weights, then the buffers.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Stem(int inChannels, int outChannels, int kernel, int padTop, int padLeft, int height, int width,
            int shift, int[] pixelScale, int[] weightSumScale, uint[] weights, byte[] pixels, int[] stream, int outRows,
            int oyStart, int oyEnd);

        /// <summary>ob_quantize_rows: fields of QuantizeLayer; thresholds and signs (mode 0) or multipliers and offsets
        /// (mode 1), the other pair may be null.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Quantize(int mode, int bits, int rows, int height, int width, int channels, int shift,
            int[] thresholds, int[] signs, int[] multipliers, long[] offsets, int[] input, int inRows, uint[] planes,
            int outRows, int yStart, int yEnd);

        /// <summary>ob_residual_rows: fields of ResidualLayer, then the int32 stream rings.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Residual(int shortcut, int padTop, int padLeft, int shift, int inHeight, int inWidth,
            int inChannels, int outHeight, int outWidth, int outChannels, int[] multipliers, int[] streamIn, int inRows,
            int[] acc, int accRows, int[] streamOut, int outRows, int oyStart, int oyEnd);

        /// <summary>ob_residual_rows_i16: the same over 16-bit stream rings.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Residual16(int shortcut, int padTop, int padLeft, int shift, int inHeight, int inWidth,
            int inChannels, int outHeight, int outWidth, int outChannels, int[] multipliers, short[] streamIn, int inRows,
            int[] acc, int accRows, short[] streamOut, int outRows, int oyStart, int oyEnd);

        /// <summary>ob_pool_rows: fields of GlobalPoolLayer, accumulator rows into the per-class sums.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void PoolRows(int classes, int shift, int height, int width, int[] acc, int accRows, long[] sums,
            int yStart, int yEnd);

        /// <summary>ob_pool_finish: the per-class affine, rounding and clamp.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void PoolFinish(int classes, int shift, int height, int width, int[] scale, long[] offset,
            long[] sums, int[] logits);

        /// <summary>ob_preprocess: fields of FramePreprocessor (format as PixelFormat), its window arrays (output column x
        /// samples source columns [x0[x], x1[x]), rows likewise), the camera frame and the model input.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Preprocess(int format, int srcWidth, int srcHeight, int outHeight, int outWidth, int outChannels,
            int[] x0, int[] x1, int[] y0, int[] y1, byte[] frame, byte[] input);
    }
}
