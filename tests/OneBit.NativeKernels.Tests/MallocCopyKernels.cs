using System.Runtime.InteropServices;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;
using N = OneBit.NativeKernels.NativeMethods;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The native entry points called on exact-size copies of every array in malloc'd memory, for the sanitizer run: under
/// AddressSanitizer a malloc block has poisoned red zones on both sides, so a read or write one element past any buffer
/// aborts the run, which it cannot do in the garbage-collected heap the production path pins. The outputs are copied
/// back, so the sweeps check the same results through this path.
/// </summary>
internal sealed unsafe class MallocCopyKernels : LayerKernels
{
    /// <summary>The library's code path (OB_PATH_*), selected for the calling thread before every call.</summary>
    private readonly int _path;

    public MallocCopyKernels(int path) => _path = path;

    public override string Name => "native (malloc copies)";

    private void Select() => NativeLayerKernels.Check(N.ob_select_path(_path), "path selection");

    public override bool HasInt16Stream => true;

    /// <summary>An exact-size malloc'd copy of an array (a null array stays null).</summary>
    private sealed class Copy<T> : IDisposable where T : unmanaged
    {
        private readonly T[] _source;
        public readonly T* P;
        public readonly int Length;

        public Copy(T[] source)
        {
            _source = source;
            if (source == null) return;
            Length = source.Length;
            P = (T*)NativeMemory.Alloc((nuint)(Length * sizeof(T)));
            source.AsSpan().CopyTo(new Span<T>(P, Length));
        }

        public void Back() => new Span<T>(P, Length).CopyTo(_source);

        public void Dispose()
        {
            if (P != null) NativeMemory.Free(P);
        }
    }

    public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.StemLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> a = new(L.PixelScale), b = new(L.WeightSumScale), o = new(stream);
        using Copy<uint> w = new(L.Weights);
        using Copy<byte> p = new(pixels);
        int status = N.ob_stem_rows(&s, a.P, b.P, Math.Min(a.Length, b.Length), w.P, w.Length, p.P, p.Length, o.P, o.Length, outRows, oyStart, oyEnd);
        o.Back();
        NativeLayerKernels.Check(status, "stem");
    }

    public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
    {
        Select();
        N.QuantizeLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> t = new(L.Thresholds), sg = new(L.Signs), m = new(L.Multipliers), x = new(input);
        using Copy<long> b = new(L.Offsets);
        using Copy<uint> o = new(planes);
        int status = N.ob_quantize_rows(&s, t.P, t.Length, sg.P, sg.Length, m.P, m.Length, b.P, b.Length, x.P, x.Length, inRows,
            o.P, o.Length, outRows, yStart, yEnd);
        o.Back();
        NativeLayerKernels.Check(status, "quantize");
    }

    public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ConvLayer s = NativeLayerKernels.Fields(L);
        using Copy<uint> w = new(L.Weights), p = new(planes);
        using Copy<int> a = new(acc);
        int status = N.ob_conv_rows(&s, w.P, w.Length, p.P, p.Length, inRows, a.P, a.Length, outRows, oyStart, oyEnd);
        a.Back();
        NativeLayerKernels.Check(status, "conv");
    }

    public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
        int[] streamOut, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ResidualLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> m = new(L.Multipliers), i = new(streamIn), a = new(acc);
        // In place (the same array in and out): one block, as the production path passes one pinned pointer twice.
        using Copy<int> o = ReferenceEquals(streamIn, streamOut) ? null : new(streamOut);
        Copy<int> output = o ?? i;
        int status = N.ob_residual_rows(&s, m.P, m.Length, i.P, i.Length, inRows, a.P, a.Length, accRows, output.P, output.Length, outRows, oyStart, oyEnd);
        output.Back();
        NativeLayerKernels.Check(status, "residual");
    }

    public override void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows,
        short[] streamOut, int outRows, int oyStart, int oyEnd)
    {
        Select();
        N.ResidualLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> m = new(L.Multipliers), a = new(acc);
        using Copy<short> i = new(streamIn);
        using Copy<short> o = ReferenceEquals(streamIn, streamOut) ? null : new(streamOut);
        Copy<short> output = o ?? i;
        int status = N.ob_residual_rows_i16(&s, m.P, m.Length, i.P, i.Length, inRows, a.P, a.Length, accRows, output.P, output.Length, outRows, oyStart, oyEnd);
        output.Back();
        NativeLayerKernels.Check(status, "16-bit residual");
    }

    public override void Pool(GlobalPoolLayer L, int[] acc, int accRows, long[] sums, int yStart, int yEnd)
    {
        Select();
        N.PoolLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> a = new(acc);
        using Copy<long> sum = new(sums);
        int status = N.ob_pool_rows(&s, a.P, a.Length, accRows, sum.P, sum.Length, yStart, yEnd);
        sum.Back();
        NativeLayerKernels.Check(status, "global pool");
    }

    public override void PoolFinish(GlobalPoolLayer L, long[] sums, int[] logits)
    {
        Select();
        N.PoolLayer s = NativeLayerKernels.Fields(L);
        using Copy<int> a = new(L.Scale), o = new(logits);
        using Copy<long> b = new(L.Offset), sum = new(sums);
        int status = N.ob_pool_finish(&s, a.P, a.Length, b.P, b.Length, sum.P, sum.Length, o.P, o.Length);
        o.Back();
        NativeLayerKernels.Check(status, "global pool");
    }
}
