using System.Numerics;
using OneBit.ModelExport;

namespace OneBit.Conversion.FloatReference;

/// <summary>
/// The float model of an export's op list (FORMAT.md §3), computed on real values (double; conv sums of integer level
/// codes in float32, where they are exact):
/// binary weights m·sign(W), true zero padding, the float quantizer of CONTRACT.md §3, batch norm as written.
/// It shares no code with the integer path, so `verify` can compare the two. One instance per thread.
/// A conv on quantized activations is computed as m·(Δ/2)·Σ±(2j − z): the same real number as Σ(±m)·a_j, but
/// the sum is exact in float32, so a value that lands exactly on a threshold (often 0 for shifted ReLU) is
/// classified the way the mathematics says rather than by the sign of a rounding residue.
/// </summary>
public sealed class FloatForward
{
    private readonly ExportedModel _model;
    private readonly PreparedConv?[] _convs;
    private readonly BatchNormFold?[] _norms;

    /// <summary>Called after every op with (op index, values HWC, height, width, channels); for calibration and deviation reports.</summary>
    public Action<int, double[], int, int, int>? Observer { get; set; }

    public FloatForward(ExportedModel model)
    {
        _model = model;
        _convs = new PreparedConv?[model.Layers.Count];
        _norms = new BatchNormFold?[model.Layers.Count];
        for (int i = 0; i < model.Layers.Count; i++)
        {
            ExportedLayer op = model.Layers[i];
            if (op.Op is LayerOps.Stem or LayerOps.Conv) _convs[i] = PreparedConv.From(model, op);
            if (op.BatchNorm != null) _norms[i] = BatchNormFold.From(model, op.BatchNorm);
        }
    }

    /// <summary>Logits (after temperature and any head batch norm) of one HWC frame of bytes.</summary>
    public double[] Forward(byte[] pixels)
    {
        ExportedInput input = _model.Input;
        int h = input.Height, w = input.Width, c = input.Channels;
        // The stem runs on raw pixels: m·Σ_c (α_c·Σ w·u + β_c·Σ w) is m·Σ w·(α_c·u + β_c) with every inner sum an
        // exact integer, so a constant patch whose valid weights cancel gives exactly 0, as it does in reals.
        float[] x = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) x[i] = pixels[i];

        double[] stream = Array.Empty<double>(); int sh = h, sw = w, sc = c;
        double[] acc = Array.Empty<double>(); int ah = 0, aw = 0, ac = 0;
        float[] act = Array.Empty<float>(); int qh = 0, qw = 0, qc = 0;
        double actScale = 1;   // real value of one unit of `act`
        double[] logits = Array.Empty<double>();
        for (int i = 0; i < _model.Layers.Count; i++)
        {
            ExportedLayer op = _model.Layers[i];
            switch (op.Op)
            {
                case LayerOps.Stem:
                    stream = _convs[i]!.RunStem(x, h, w, input.Alpha, input.Beta, out sh, out sw);
                    sc = op.OutChannels;
                    Observer?.Invoke(i, stream, sh, sw, sc);
                    break;
                case LayerOps.Quantize:
                    bool fromStream = op.Source == "stream";
                    double[] src = fromStream ? stream : acc;
                    (qh, qw, qc) = fromStream ? (sh, sw, sc) : (ah, aw, ac);
                    act = Activate(op, _norms[i], src, qc, out actScale);
                    if (Observer != null) Observer(i, act.Select(v => v * actScale).ToArray(), qh, qw, qc);
                    break;
                case LayerOps.Conv:
                    acc = _convs[i]!.Run(act, qh, qw, actScale, out ah, out aw);
                    ac = op.OutChannels;
                    Observer?.Invoke(i, acc, ah, aw, ac);
                    break;
                case LayerOps.Residual:
                    stream = Residual(op, stream, sh, sw, sc, acc, ah, aw, ac);
                    (sh, sw, sc) = (ah, aw, ac);
                    Observer?.Invoke(i, stream, sh, sw, sc);
                    break;
                case LayerOps.GlobalPool:
                    logits = Pool(acc, ah * aw, ac, _norms[i]);
                    Observer?.Invoke(i, logits, 1, 1, ac);
                    break;
                default:
                    throw new NotSupportedException($"op {i} '{op.Name}': unknown op '{op.Op}'");
            }
        }
        return logits;
    }

    /// <summary>
    /// Batch norm (if any), then shifted ReLU / ReLU, then the b-bit quantizer. Quantized outputs are the integers
    /// 2j − z with <paramref name="scale"/> = s·Δ/2 (a_j = (Δ/2)(2j − z), standing for s·a_j with a learned step s);
    /// full-precision outputs have scale 1.
    /// </summary>
    private static float[] Activate(ExportedLayer op, BatchNormFold? bn, double[] src, int channels, out double scale)
    {
        var y = new float[src.Length];
        bool srelu = op.Activation == "srelu";
        int bits = op.Bits ?? 0;
        double delta = op.Delta ?? 0;
        int z = op.ZeroCode ?? 0, top = (1 << bits) - 1;
        double step = op.Step ?? 1;
        scale = bits == 0 ? 1 : step * delta / 2;
        for (int i = 0; i < src.Length; i++)
        {
            double v = src[i];
            if (bn != null) v = bn.Apply(v, i % channels);
            v /= step;
            if (bits == 0)
            {
                y[i] = (float)(srelu ? Math.Max(v, -1.0) : Math.Max(v, 0.0));
                continue;
            }
            // CONTRACT.md §3: j = clamp(floor(x/Δ + (z+1)/2), 0, L−1); the clamp at 0 is the (shifted) ReLU.
            double j = Math.Clamp(Math.Floor(v / delta + (z + 1) / 2.0 + TieGuard.Levels), 0, top);
            y[i] = (float)(2 * j - z);
        }
        return y;
    }

    private static double[] Residual(ExportedLayer op, double[] s, int h, int w, int c, double[] acc, int oh, int ow, int oc)
    {
        var y = new double[oh * ow * oc];
        bool pool = op.Shortcut == "avgpool3x3s2";
        double gain = op.Gain ?? 1;
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < oc; ch++)
                {
                    double v = 0;
                    if (ch < c)
                    {
                        if (!pool) v = s[(oy * w + ox) * c + ch];
                        else
                        {
                            double sum = 0; int n = 0;
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                {
                                    int iy = 2 * oy - op.PadTop + ky, ix = 2 * ox - op.PadLeft + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    sum += s[(iy * w + ix) * c + ch]; n++;
                                }
                            v = sum / n;
                        }
                    }
                    int at = (oy * ow + ox) * oc + ch;
                    y[at] = v + gain * acc[at];
                }
        return y;
    }

    private double[] Pool(double[] acc, int pixels, int classes, BatchNormFold? bn)
    {
        var logits = new double[classes];
        for (int o = 0; o < classes; o++)
        {
            double sum = 0;
            for (int px = 0; px < pixels; px++) sum += acc[px * classes + o];
            double v = sum / pixels;
            if (bn != null) v = bn.Apply(v, o);
            logits[o] = v / _model.Temperature;   // FORMAT.md: T divides the final logits, after the head batch norm
        }
        return logits;
    }

    /// <summary>A conv with weights sign(W) (scaled by m at the end) transposed to [tap][Cin][Cout] so the inner loop is a SIMD axpy over Cout.</summary>
    private sealed class PreparedConv
    {
        private double _m;
        private int _k, _stride, _padTop, _padLeft, _cin, _cout;
        private float[] _w = Array.Empty<float>();

        public static PreparedConv From(ExportedModel model, ExportedLayer op)
        {
            ExportedTensor t = model.Tensor(op.Weight!);
            int k = op.Kernel, cin = op.InChannels, cout = op.OutChannels;
            var w = new float[k * k * cin * cout];
            for (int o = 0; o < cout; o++)
                for (int c = 0; c < cin; c++)
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            float latent = t.Data[((o * cin + c) * k + ky) * k + kx];
                            w[((ky * k + kx) * cin + c) * cout + o] = latent >= 0 ? 1f : -1f;
                        }
            return new PreparedConv { _m = op.Scale, _k = k, _stride = Math.Max(1, op.Stride), _padTop = op.PadTop, _padLeft = op.PadLeft, _cin = cin, _cout = cout, _w = w };
        }

        /// <summary>Stem: per input channel c, P_c = Σ w·u and Q_c = Σ w over valid taps, then m·Σ_c (α_c·P_c + β_c·Q_c).</summary>
        public double[] RunStem(float[] pixels, int h, int w, double[] alpha, double[] beta, out int oh, out int ow)
        {
            oh = h; ow = w;
            var y = new double[h * w * _cout];
            var p = new double[_cin];
            var q = new double[_cin];
            for (int oy = 0; oy < h; oy++)
                for (int ox = 0; ox < w; ox++)
                    for (int o = 0; o < _cout; o++)
                    {
                        Array.Clear(p); Array.Clear(q);
                        for (int ky = 0; ky < _k; ky++)
                        {
                            int iy = oy - _padTop + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < _k; kx++)
                            {
                                int ix = ox - _padLeft + kx;
                                if (ix < 0 || ix >= w) continue;
                                for (int c = 0; c < _cin; c++)
                                {
                                    float sign = _w[((ky * _k + kx) * _cin + c) * _cout + o];
                                    p[c] += sign * pixels[(iy * w + ix) * _cin + c];
                                    q[c] += sign;
                                }
                            }
                        }
                        double sum = 0;
                        for (int c = 0; c < _cin; c++) sum += alpha[c] * p[c] + beta[c] * q[c];
                        y[(oy * w + ox) * _cout + o] = _m * sum;
                    }
            return y;
        }

        /// <param name="inputScale">Real value of one unit of <paramref name="x"/>.</param>
        public double[] Run(float[] x, int h, int w, double inputScale, out int oh, out int ow)
        {
            oh = (h + _stride - 1) / _stride;
            ow = (w + _stride - 1) / _stride;
            var y = new float[oh * ow * _cout];
            int lanes = Vector<float>.Count;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    Span<float> outPx = y.AsSpan((oy * ow + ox) * _cout, _cout);
                    for (int ky = 0; ky < _k; ky++)
                    {
                        int iy = oy * _stride - _padTop + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < _k; kx++)
                        {
                            int ix = ox * _stride - _padLeft + kx;
                            if (ix < 0 || ix >= w) continue;
                            int xBase = (iy * w + ix) * _cin, wBase = (ky * _k + kx) * _cin * _cout;
                            for (int c = 0; c < _cin; c++)
                            {
                                float xv = x[xBase + c];
                                if (xv == 0) continue;
                                ReadOnlySpan<float> wRow = _w.AsSpan(wBase + c * _cout, _cout);
                                var xs = new Vector<float>(xv);
                                int o = 0;
                                for (; o + lanes <= _cout; o += lanes)
                                    (new Vector<float>(outPx.Slice(o)) + xs * new Vector<float>(wRow.Slice(o))).CopyTo(outPx.Slice(o));
                                for (; o < _cout; o++) outPx[o] += xv * wRow[o];
                            }
                        }
                    }
                }
            double scale = _m * inputScale;
            var real = new double[y.Length];
            for (int i = 0; i < y.Length; i++) real[i] = y[i] * scale;
            return real;
        }
    }
}
