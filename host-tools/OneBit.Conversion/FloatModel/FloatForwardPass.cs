using System.Numerics;

namespace OneBit.Conversion.FloatModel;

/// <summary>
/// The float reference of a <see cref="FloatNetwork"/>: straightforward loops over H×W×C float tensors, the
/// semantics documented on <see cref="FloatNetwork"/>. Convolutions multiply the ±1 weights in float
/// (dot products over the input channels, vectorised with System.Numerics.Vector only for speed) and apply
/// the layer scale m to the sum; batch norms are applied as their per-channel affine map computed in double.
/// One instance may run several images concurrently (no per-instance mutable state besides the observer).
/// </summary>
public sealed class FloatForwardPass
{
    readonly FloatNetwork _net;
    readonly int _parallelism;
    readonly Dictionary<BinaryConv2d, float[]> _weights = new();
    readonly Dictionary<BatchNorm, (float[] A, float[] B)> _bn = new();

    /// <summary>
    /// Optional hook called with every intermediate tensor by name ("stem.in", "stem.out", "block{i}.conv1.in",
    /// "block{i}.conv2.in", "block{i}.out", "head.conv.in", "head.out" = after PostBn and scale, before pooling),
    /// e.g. to calibrate activation quantization. The tensor must not be kept or modified.
    /// </summary>
    public Action<string, FloatTensor>? Observer { get; set; }

    /// <param name="maxDegreeOfParallelism">Threads used inside one convolution (over output channels); 1 = none.</param>
    public FloatForwardPass(FloatNetwork network, int maxDegreeOfParallelism = 1)
    {
        network.Validate();
        _net = network;
        _parallelism = Math.Max(1, maxDegreeOfParallelism);
        foreach (var c in network.Convolutions)
            _weights[c] = Array.ConvertAll(c.Weights, w => (float)w);
        void AddBn(BatchNorm? bn)
        {
            if (bn is null || _bn.ContainsKey(bn)) return;
            bn.GetAffine(out var a, out var b);
            _bn[bn] = (Array.ConvertAll(a, v => (float)v), Array.ConvertAll(b, v => (float)v));
        }
        foreach (var blk in network.Blocks) { AddBn(blk.Bn1); AddBn(blk.Bn2); }
        AddBn(network.Head.PreBn);
        AddBn(network.Head.PostBn);
    }

    public FloatNetwork Network => _net;

    /// <summary>Logits (before softmax) of one image: RGB bytes, H×W×3 row-major, channel fastest.</summary>
    public double[] Run(ReadOnlySpan<byte> image)
    {
        int h = _net.InputHeight, w = _net.InputWidth, ch = _net.InputChannels;
        if (image.Length != h * w * ch) throw new ArgumentException($"image has {image.Length} bytes, expected {h}x{w}x{ch}");
        var x = new FloatTensor(h, w, ch);
        for (int i = 0; i < x.Data.Length; i++)
        {
            int c = i % ch;
            x.Data[i] = Activate((float)(_net.Input.Alpha[c] * image[i] + _net.Input.Beta[c]), _net.InputActivation);
        }
        Observer?.Invoke("stem.in", x);
        var r = Conv(x, _net.Stem);
        Observer?.Invoke("stem.out", r);
        for (int i = 0; i < _net.Blocks.Count; i++)
        {
            var b = _net.Blocks[i];
            var t = BnAct(r, b.Bn1, b.Activation1);
            Observer?.Invoke($"block{i}.conv1.in", t);
            t = Conv(t, b.Conv1);
            t = BnAct(t, b.Bn2, b.Activation2);
            Observer?.Invoke($"block{i}.conv2.in", t);
            t = Conv(t, b.Conv2);
            var s = ApplyShortcut(r, b.Shortcut);
            for (int k = 0; k < t.Data.Length; k++) t.Data[k] += s.Data[k];
            r = t;
            Observer?.Invoke($"block{i}.out", r);
        }
        var hd = _net.Head;
        var y = BnAct(r, hd.PreBn, hd.Activation);
        Observer?.Invoke("head.conv.in", y);
        y = Conv(y, hd.Conv);
        y = BnAct(y, hd.PostBn, ActivationKind.None);
        Observer?.Invoke("head.out", y);
        var logits = new double[y.Channels];
        int n = y.Height * y.Width;
        for (int p = 0; p < n; p++)
            for (int c = 0; c < y.Channels; c++) logits[c] += y.Data[p * y.Channels + c];
        for (int c = 0; c < logits.Length; c++) logits[c] = logits[c] / n * hd.OutputScale;
        return logits;
    }

    /// <summary>Index of the largest logit (the first one on ties).</summary>
    public int Predict(ReadOnlySpan<byte> image) => ArgMax(Run(image));

    public static int ArgMax(double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    static float Activate(float v, ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => v > 0 ? v : 0,
        ActivationKind.ShiftedRelu => v > -1 ? v : -1,
        _ => v,
    };

    FloatTensor BnAct(FloatTensor x, BatchNorm? bn, ActivationKind act)
    {
        var y = new FloatTensor(x.Height, x.Width, x.Channels);
        float[]? a = null, b = null;
        if (bn is not null) (a, b) = _bn[bn];
        int ch = x.Channels;
        for (int i = 0; i < x.Data.Length; i++)
        {
            int c = i % ch;
            float v = a is null ? x.Data[i] : a[c] * x.Data[i] + b![c];
            y.Data[i] = Activate(v, act);
        }
        return y;
    }

    /// <summary>Zero-padded cross-correlation with ±1 weights, times the layer scale.</summary>
    FloatTensor Conv(FloatTensor x, BinaryConv2d conv)
    {
        int oh = conv.OutputHeight(x.Height), ow = conv.OutputWidth(x.Width);
        var y = new FloatTensor(oh, ow, conv.OutChannels);
        float[] wts = _weights[conv];
        int cin = conv.InChannels, kh = conv.KernelH, kw = conv.KernelW, cout = conv.OutChannels;
        int taps = kh * kw * cin;
        float scale = (float)conv.Scale;
        // Output channels in groups of 4 (one pass over the input serves four weight rows); the arithmetic per
        // output is the same sum over (ky, kx, ci) in the same order as for a single channel.
        int groups = (cout + 3) / 4;
        void Group(int g)
        {
            int co0 = g * 4, n = Math.Min(4, cout - co0);
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int iy = oy * conv.Stride - conv.PadTop + ky;
                        if ((uint)iy >= (uint)x.Height) continue;   // zero padding
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int ix = ox * conv.Stride - conv.PadLeft + kx;
                            if ((uint)ix >= (uint)x.Width) continue;
                            var input = new ReadOnlySpan<float>(x.Data, (iy * x.Width + ix) * cin, cin);
                            int off = (ky * kw + kx) * cin;
                            if (n == 4)
                            {
                                Dot4(input, wts.AsSpan(co0 * taps + off, cin), wts.AsSpan((co0 + 1) * taps + off, cin),
                                     wts.AsSpan((co0 + 2) * taps + off, cin), wts.AsSpan((co0 + 3) * taps + off, cin),
                                     ref a0, ref a1, ref a2, ref a3);
                            }
                            else
                            {
                                a0 += Dot(input, wts.AsSpan(co0 * taps + off, cin));
                                if (n > 1) a1 += Dot(input, wts.AsSpan((co0 + 1) * taps + off, cin));
                                if (n > 2) a2 += Dot(input, wts.AsSpan((co0 + 2) * taps + off, cin));
                            }
                        }
                    }
                    int o = (oy * ow + ox) * cout + co0;
                    y.Data[o] = a0 * scale;
                    if (n > 1) y.Data[o + 1] = a1 * scale;
                    if (n > 2) y.Data[o + 2] = a2 * scale;
                    if (n > 3) y.Data[o + 3] = a3 * scale;
                }
        }
        if (_parallelism > 1)
            Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, Group);
        else
            for (int g = 0; g < groups; g++) Group(g);
        return y;
    }

    static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                acc += new Vector<float>(a.Slice(i)) * new Vector<float>(b.Slice(i));
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Four dot products of one input span with four weight spans, added to the accumulators (same order as <see cref="Dot"/>).</summary>
    static void Dot4(ReadOnlySpan<float> x, ReadOnlySpan<float> w0, ReadOnlySpan<float> w1, ReadOnlySpan<float> w2, ReadOnlySpan<float> w3,
                     ref float a0, ref float a1, ref float a2, ref float a3)
    {
        int n = x.Length, i = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            Vector<float> v0 = Vector<float>.Zero, v1 = v0, v2 = v0, v3 = v0;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var xv = new Vector<float>(x.Slice(i));
                v0 += xv * new Vector<float>(w0.Slice(i));
                v1 += xv * new Vector<float>(w1.Slice(i));
                v2 += xv * new Vector<float>(w2.Slice(i));
                v3 += xv * new Vector<float>(w3.Slice(i));
            }
            s0 = Vector.Sum(v0); s1 = Vector.Sum(v1); s2 = Vector.Sum(v2); s3 = Vector.Sum(v3);
        }
        for (; i < n; i++) { s0 += x[i] * w0[i]; s1 += x[i] * w1[i]; s2 += x[i] * w2[i]; s3 += x[i] * w3[i]; }
        a0 += s0; a1 += s1; a2 += s2; a3 += s3;
    }

    static FloatTensor ApplyShortcut(FloatTensor r, Shortcut sc)
    {
        if (sc.Kind == ShortcutKind.Identity) return r;
        int oh = sc.OutputHeight(r.Height), ow = sc.OutputWidth(r.Width), ch = r.Channels;
        var y = new FloatTensor(oh, ow, ch + sc.ZeroChannels);   // appended channels stay zero
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                int y0 = oy * Shortcut.PoolStride - sc.PadTop, x0 = ox * Shortcut.PoolStride - sc.PadLeft;
                int y1 = Math.Max(y0, 0), y2 = Math.Min(y0 + Shortcut.PoolSize, r.Height);
                int x1 = Math.Max(x0, 0), x2 = Math.Min(x0 + Shortcut.PoolSize, r.Width);
                float div = sc.CountIncludePad ? Shortcut.PoolSize * Shortcut.PoolSize : (y2 - y1) * (x2 - x1);
                for (int c = 0; c < ch; c++)
                {
                    float s = 0;
                    for (int iy = y1; iy < y2; iy++)
                        for (int ix = x1; ix < x2; ix++) s += r.Data[(iy * r.Width + ix) * ch + c];
                    y.Data[(oy * ow + ox) * y.Channels + c] = s / div;
                }
            }
        return y;
    }
}
