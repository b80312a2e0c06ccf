using System.Runtime.InteropServices;

namespace OneBit.NativeKernels;

/// <summary>
/// The entry points of native/onebit_kernels/include/onebit_kernels.h. Arrays go as pointers into pinned managed arrays
/// (no copies), each with its length in elements, which the C side checks before it touches anything.
/// </summary>
internal static unsafe partial class NativeMethods
{
    public const string Library = "onebit_kernels";

    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, NativeLibraryFile.Resolve);

    [StructLayout(LayoutKind.Sequential)]
    public struct ConvLayer
    {
        public int Kernel, Stride, PadTop, PadLeft, InChannels, OutChannels, InHeight, InWidth, OutHeight, OutWidth, Bits, ZeroCode;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StemLayer
    {
        public int InChannels, OutChannels, Kernel, PadTop, PadLeft, Height, Width, Shift;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct QuantizeLayer
    {
        public int Mode, Bits, Rows, Height, Width, Channels, Shift;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ResidualLayer
    {
        public int Shortcut, PadTop, PadLeft, Shift, InHeight, InWidth, InChannels, OutHeight, OutWidth, OutChannels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PoolLayer
    {
        public int Classes, Shift, Height, Width;
    }

    public const int PathDefault = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameLayer
    {
        public int Format, SrcWidth, SrcHeight, OutHeight, OutWidth, OutChannels;
    }

    [LibraryImport(Library)]
    public static partial byte* ob_status_text(int status);

    [LibraryImport(Library)]
    public static partial int ob_select_path(int path);

    [LibraryImport(Library)]
    public static partial int ob_path_supported(int path);

    [LibraryImport(Library)]
    public static partial byte* ob_path_name();

    [LibraryImport(Library)]
    public static partial long ob_vector_calls();

    [LibraryImport(Library)]
    public static partial int ob_preprocess(FrameLayer* layer, int* x0, int* x1, int xsLen, int* y0, int* y1, int ysLen,
        byte* frame, int frameLen, byte* input, int inputLen);

    [LibraryImport(Library)]
    public static partial byte* ob_popcount_kind();

    [LibraryImport(Library)]
    public static partial int ob_conv_rows(ConvLayer* layer, uint* weights, int weightsLen, uint* planes, int planesLen, int inRows,
        int* acc, int accLen, int outRows, int oyStart, int oyEnd);

    [LibraryImport(Library)]
    public static partial int ob_stem_rows(StemLayer* layer, int* pixelScale, int* weightSumScale, int scalesLen, uint* weights, int weightsLen,
        byte* pixels, int pixelsLen, int* stream, int streamLen, int outRows, int oyStart, int oyEnd);

    [LibraryImport(Library)]
    public static partial int ob_quantize_rows(QuantizeLayer* layer, int* thresholds, int thresholdsLen, int* signs, int signsLen,
        int* multipliers, int multipliersLen, long* offsets, int offsetsLen, int* input, int inputLen, int inRows,
        uint* planes, int planesLen, int outRows, int yStart, int yEnd);

    [LibraryImport(Library)]
    public static partial int ob_residual_rows(ResidualLayer* layer, int* multipliers, int multipliersLen, int* streamIn, int inLen, int inRows,
        int* acc, int accLen, int accRows, int* streamOut, int outLen, int outRows, int oyStart, int oyEnd);

    [LibraryImport(Library)]
    public static partial int ob_residual_rows_i16(ResidualLayer* layer, int* multipliers, int multipliersLen, short* streamIn, int inLen, int inRows,
        int* acc, int accLen, int accRows, short* streamOut, int outLen, int outRows, int oyStart, int oyEnd);

    [LibraryImport(Library)]
    public static partial int ob_pool_rows(PoolLayer* layer, int* acc, int accLen, int accRows, long* sums, int sumsLen, int yStart, int yEnd);

    [LibraryImport(Library)]
    public static partial int ob_pool_finish(PoolLayer* layer, int* scale, int scaleLen, long* offset, int offsetLen, long* sums, int sumsLen,
        int* logits, int logitsLen);

    public static string Text(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? "";
}
