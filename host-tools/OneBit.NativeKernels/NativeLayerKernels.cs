using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;
using N = OneBit.NativeKernels.NativeMethods;

namespace OneBit.NativeKernels;

/// <summary>
/// The row-range entry points of <see cref="LayerKernels"/> over the C kernels: each call pins the arrays it passes
/// (<c>fixed</c>, no copy), hands the C side the layer's fields and every array's length, and turns a nonzero status
/// (a field outside the contract, a ring shorter than the rows need) into an <see cref="ArgumentException"/>.
/// Stateless, so one instance serves every network and runner.
/// </summary>
internal sealed unsafe class NativeLayerKernels : LayerKernels
{
    private static readonly NativeLayerKernels[] Paths = Enumerable.Range(0, NativeKernelSet.PathNames.Length + 1).Select(p => new NativeLayerKernels(p)).ToArray();

    /// <summary>The library's path for the calling thread is set before every call (ob_select_path), so one thread
    /// may use sets of different paths in turn.</summary>
    private readonly int _path;

    private NativeLayerKernels(int path) => _path = path;

    public static NativeLayerKernels OnPath(int path) => Paths[path];

    public override string Name => "native";

    public override bool HasInt16Stream => true;

    public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.StemLayer s = Fields(L);
        int scales = Math.Min(Length(L.PixelScale), Length(L.WeightSumScale));
        fixed (int* a = L.PixelScale, b = L.WeightSumScale, o = stream)
        fixed (uint* w = L.Weights)
        fixed (byte* p = pixels)
            Check(N.ob_stem_rows(&s, a, b, scales, w, Length(L.Weights), p, Length(pixels), o, Length(stream), outRows, oyStart, oyEnd), "stem");
    }

    public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
    {
        Select();
        N.QuantizeLayer s = Fields(L);
        fixed (int* t = L.Thresholds, sg = L.Signs, m = L.Multipliers, x = input)
        fixed (long* b = L.Offsets)
        fixed (uint* o = planes)
            Check(N.ob_quantize_rows(&s, t, Length(L.Thresholds), sg, Length(L.Signs), m, Length(L.Multipliers), b, Length(L.Offsets),
                x, Length(input), inRows, o, Length(planes), outRows, yStart, yEnd), "quantize");
    }

    public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ConvLayer s = Fields(L);
        fixed (uint* w = L.Weights, p = planes)
        fixed (int* a = acc)
            Check(N.ob_conv_rows(&s, w, Length(L.Weights), p, Length(planes), inRows, a, Length(acc), outRows, oyStart, oyEnd), "conv");
    }

    public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
        int[] streamOut, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ResidualLayer s = Fields(L);
        fixed (int* m = L.Multipliers, i = streamIn, a = acc, o = streamOut)
            Check(N.ob_residual_rows(&s, m, Length(L.Multipliers), i, Length(streamIn), inRows, a, Length(acc), accRows,
                o, Length(streamOut), outRows, oyStart, oyEnd), "residual");
    }

    public override void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows,
        short[] streamOut, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ResidualLayer s = Fields(L);
        fixed (int* m = L.Multipliers, a = acc)
        fixed (short* i = streamIn, o = streamOut)
            Check(N.ob_residual_rows_i16(&s, m, Length(L.Multipliers), i, Length(streamIn), inRows, a, Length(acc), accRows,
                o, Length(streamOut), outRows, oyStart, oyEnd), "16-bit residual");
    }

    public override void Pool(GlobalPoolLayer L, int[] acc, int accRows, long[] sums, int yStart, int yEnd)
    {
        Select();
        N.PoolLayer s = Fields(L);
        fixed (int* a = acc)
        fixed (long* sum = sums)
            Check(N.ob_pool_rows(&s, a, Length(acc), accRows, sum, Length(sums), yStart, yEnd), "global pool");
    }

    public override void PoolFinish(GlobalPoolLayer L, long[] sums, int[] logits)
    {
        Select();
        N.PoolLayer s = Fields(L);
        fixed (int* a = L.Scale, o = logits)
        fixed (long* b = L.Offset, sum = sums)
            Check(N.ob_pool_finish(&s, a, Length(L.Scale), b, Length(L.Offset), sum, Length(sums), o, Length(logits)), "global pool");
    }

    private void Select() => Check(N.ob_select_path(_path), "path selection");

    internal static N.StemLayer Fields(StemLayer L) => new()
    {
        InChannels = L.InChannels, OutChannels = L.OutChannels, Kernel = L.KernelSize, PadTop = L.PadTop, PadLeft = L.PadLeft,
        Height = L.Height, Width = L.Width, Shift = L.Shift,
    };

    internal static N.QuantizeLayer Fields(QuantizeLayer L) => new()
    {
        Mode = L.Mode, Bits = L.Bits, Rows = L.Rows, Height = L.Height, Width = L.Width, Channels = L.Channels, Shift = L.Shift,
    };

    internal static N.ConvLayer Fields(ConvLayer L) => new()
    {
        Kernel = L.KernelSize, Stride = L.Stride, PadTop = L.PadTop, PadLeft = L.PadLeft, InChannels = L.InChannels,
        OutChannels = L.OutChannels, InHeight = L.InHeight, InWidth = L.InWidth, OutHeight = L.OutHeight, OutWidth = L.OutWidth,
        Bits = L.Bits, ZeroCode = L.ZeroCode,
    };

    internal static N.ResidualLayer Fields(ResidualLayer L) => new()
    {
        Shortcut = L.Shortcut, PadTop = L.PadTop, PadLeft = L.PadLeft, Shift = L.Shift, InHeight = L.InHeight, InWidth = L.InWidth,
        InChannels = L.InChannels, OutHeight = L.OutHeight, OutWidth = L.OutWidth, OutChannels = L.OutChannels,
    };

    internal static N.PoolLayer Fields(GlobalPoolLayer L) => new() { Classes = L.Classes, Shift = L.Shift, Height = L.Height, Width = L.Width };

    private static int Length(Array? a) => a?.Length ?? 0;

    internal static void Check(int status, string layer)
    {
        if (status != 0) throw new ArgumentException($"native {layer} kernel: {N.Text(N.ob_status_text(status))} (status {status})");
    }
}
