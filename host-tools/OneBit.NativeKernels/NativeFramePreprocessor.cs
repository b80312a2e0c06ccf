using OneBit.Runtime.Frames;
using N = OneBit.NativeKernels.NativeMethods;

namespace OneBit.NativeKernels;

/// <summary>
/// <see cref="FramePreprocessor.Process"/> in the C of native/onebit_kernels (src/frame.c), on the preprocessor's own
/// window arrays and the caller's buffers, pinned, without copies. Bit-exact with the C# (tests/OneBit.NativeKernels.Tests).
/// </summary>
public static class NativeFramePreprocessor
{
    public static unsafe void Process(FramePreprocessor pre, byte[] frame, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(pre);
        NativeKernelSet.RequireLibrary();
        var layer = new N.FrameLayer
        {
            Format = (int)pre.SourceFormat, SrcWidth = pre.SourceWidth, SrcHeight = pre.SourceHeight,
            OutHeight = pre.OutputHeight, OutWidth = pre.OutputWidth, OutChannels = pre.OutputChannels,
        };
        int[] x0 = pre.WindowX0, x1 = pre.WindowX1, y0 = pre.WindowY0, y1 = pre.WindowY1;
        fixed (int* px0 = x0, px1 = x1, py0 = y0, py1 = y1)
        fixed (byte* pf = frame, pi = input)
        {
            NativeLayerKernels.Check(N.ob_preprocess(&layer, px0, px1, Math.Min(x0.Length, x1.Length), py0, py1, Math.Min(y0.Length, y1.Length),
                pf, frame?.Length ?? 0, pi, input?.Length ?? 0), "preprocess");
        }
    }
}
