using OneBit.Conversion.FloatReference;
using OneBit.ModelExport;
using OneBit.Runtime;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Folding;

/// <summary>
/// Folds a float op list (an export, or an imported published model) into blob records (CONTRACT.md):
/// every real-valued factor — m, Δ/2, learned steps and branch gains, the input affine, batch-norm moments, 1/T, 2^F — becomes an integer
/// threshold or a fixed-point multiplier. Requires every quantize op to have b bits (calibrate first).
/// </summary>
public static class ModelFolder
{
    /// <summary>Fraction bits of the logits (Q16): logits are integers of value·2^16.</summary>
    public const int LogitFracBits = 16;
    /// <summary>
    /// F = 20: stream rounding (2^−21) stays near float32 noise for values of a few units, so 8-bit thresholds
    /// (Δ ≈ 0.01) are rarely crossed by rounding alone; the range ±2048 is far above the streams seen in these networks.
    /// </summary>
    public const int DefaultStreamFracBits = 20;
    /// <summary>Multipliers are kept below 2^30 so products with |acc| &lt; 2^30 stay far inside 64 bits.</summary>
    private const double MultiplierLimit = 1 << 30;

    /// <summary>
    /// Folds with the largest F ≤ <paramref name="maxStreamFracBits"/> whose stream StreamBound proves to fit 16 bits,
    /// so the device stores the stream in int16 rings (half the streaming runner's largest buffers). Fewer fraction bits
    /// round the stream more coarsely: compare float and integer with --verify. Throws when even F = 0 does not fit.
    /// </summary>
    public static Network FoldWithin16BitStream(ExportedModel model, int maxStreamFracBits = DefaultStreamFracBits, bool compactAffine = true)
    {
        // The bound reads the conv's activation bits, which the blob reader derives: measure it on the parsed blob.
        long bound = 0;
        for (int f = maxStreamFracBits; f >= 0; f--)
        {
            Network net = Fold(model, f, compactAffine);
            bound = StreamBound.Of(BlobReader.Read(BlobWriter.Write(net), long.MaxValue));
            if (bound <= StreamBound.Int16Max) return net;
        }
        throw new ArgumentException($"the stream of '{model.Name}' cannot be proven to fit 16 bits even with F = 0 (bound {bound:N0})");
    }

    /// <param name="compactAffine">Per-channel affine quantizers as record kind 7 (24-bit, 6 B/channel; CONTRACT.md §3)
    /// rather than kind 6 (32/64-bit, 12 B/channel).</param>
    public static Network Fold(ExportedModel model, int streamFracBits = DefaultStreamFracBits, bool compactAffine = true)
    {
        if (streamFracBits < 0 || streamFracBits > 24) throw new ArgumentOutOfRangeException(nameof(streamFracBits), "0..24");
        double streamUnit = Math.Pow(2, -streamFracBits);  // real value of one stream integer
        var layers = new List<Layer>();
        double accScale = 0;       // real value of one accumulator unit of the last conv: m·Δ_in/2
        double lastDelta = 0;      // Δ of the last quantize op
        double lastStep = 1;       // its learned step s (FORMAT.md §3): a level stands for s·a_j
        int pixelsAtHead = 0;
        ExportedLayer? lastQuantize = null;

        for (int i = 0; i < model.Layers.Count; i++)
        {
            ExportedLayer op = model.Layers[i];
            string where = $"op {i} '{op.Name}'";
            switch (op.Op)
            {
                case LayerOps.Stem:
                    layers.Add(FoldStem(model, op, streamFracBits, where));
                    break;
                case LayerOps.Quantize:
                    double unit = op.Source == "stream" ? streamUnit : op.Source == "acc" ? accScale
                        : throw new NotSupportedException($"{where}: unknown quantize source '{op.Source}'");
                    // The quantizer reads y/s: one input unit is unit/s.
                    layers.Add(FoldQuantize(model, op, unit / (op.Step ?? 1), compactAffine, where));
                    lastDelta = op.Delta!.Value;
                    lastStep = op.Step ?? 1;
                    lastQuantize = op;
                    break;
                case LayerOps.Conv:
                    if (lastQuantize == null) throw new NotSupportedException($"{where}: a conv must follow a quantize op");
                    layers.Add(new ConvLayer
                    {
                        KernelSize = op.Kernel, Stride = Math.Max(1, op.Stride), PadTop = op.PadTop, PadLeft = op.PadLeft,
                        InChannels = op.InChannels, OutChannels = op.OutChannels, Weights = PackWeights(model, op),
                    });
                    accScale = op.Scale * lastDelta / 2 * lastStep;
                    break;
                case LayerOps.Residual:
                {
                    double real = (op.Gain ?? 1) * accScale / streamUnit;   // stream units per accumulator unit
                    int shift = ShiftFor(Math.Abs(real));
                    layers.Add(new ResidualLayer
                    {
                        Shortcut = op.Shortcut switch
                        {
                            "identity" => ResidualLayer.Identity,
                            "avgpool3x3s2" => ResidualLayer.AvgPool3x3Stride2,
                            _ => throw new NotSupportedException($"{where}: unsupported shortcut '{op.Shortcut}' (identity or avgpool3x3s2)"),
                        },
                        PadTop = op.PadTop, PadLeft = op.PadLeft, Shift = shift,
                        Multipliers = new[] { checked((int)Math.Round(real * Math.Pow(2, shift))) },
                    });
                    break;
                }
                case LayerOps.GlobalPool:
                    pixelsAtHead = HeadPixels(model);
                    layers.Add(FoldPool(model, op, accScale, pixelsAtHead));
                    break;
                default:
                    throw new NotSupportedException($"{where}: unsupported op '{op.Op}'");
            }
        }
        ExportedInput input = model.Input;
        return new Network
        {
            Name = Ascii(model.Name),
            InputHeight = input.Height, InputWidth = input.Width, InputChannels = input.Channels,
            ClassNames = model.ClassNames.Select(Ascii).ToArray(),
            StreamFracBits = streamFracBits,
            Layers = layers.ToArray(),
            TestVectors = Array.Empty<TestVector>(),
        };
    }

    private static StemLayer FoldStem(ExportedModel model, ExportedLayer op, int F, string where)
    {
        ExportedInput input = model.Input;
        if (op.InChannels != input.Channels) throw new NotSupportedException($"{where}: stem has {op.InChannels} input channels, the input {input.Channels}");
        if (op.Stride > 1) throw new NotSupportedException($"{where}: a strided stem is not in format v1");
        // Σ_c (A_c·P + B_c·Q) >> shift = round(m·Σ_c (α_c·P + β_c·Q)·2^F): CONTRACT.md §5, Stem.
        double[] a = input.Alpha.Select(v => op.Scale * v * Math.Pow(2, F)).ToArray();
        double[] b = input.Beta.Select(v => op.Scale * v * Math.Pow(2, F)).ToArray();
        int shift = ShiftFor(a.Concat(b).Select(Math.Abs).Max());
        double f = Math.Pow(2, shift);
        return new StemLayer
        {
            InChannels = op.InChannels, OutChannels = op.OutChannels, KernelSize = op.Kernel, PadTop = op.PadTop, PadLeft = op.PadLeft,
            Height = input.Height, Width = input.Width, Shift = shift,
            PixelScale = a.Select(v => (int)Math.Round(v * f)).ToArray(),
            WeightSumScale = b.Select(v => (int)Math.Round(v * f)).ToArray(),
            Weights = PackWeights(model, op),
        };
    }

    /// <summary>x = α·X + β per channel (X the integer input), then the float quantizer → thresholds (CONTRACT.md §3).</summary>
    private static QuantizeLayer FoldQuantize(ExportedModel model, ExportedLayer op, double unit, bool compactAffine, string where)
    {
        int bits = op.Bits ?? 0;
        if (!BitConvention.IsSupportedActivationBits(bits))
            throw new NotSupportedException($"{where}: activations of {bits} bits cannot run on the integer runtime (1, 2, 4 or 8; calibrate full-precision models with --bits)");
        double delta = op.Delta ?? throw new NotSupportedException($"{where}: quantizer without Δ");
        int z = op.ZeroCode ?? 0;
        if (op.Activation == "srelu" && Math.Abs(delta * z - 2) > 1e-9)
            throw new NotSupportedException($"{where}: a shifted-ReLU quantizer needs Δ·z = 2 (level 0 is −1), got Δ = {delta}, z = {z}");
        BatchNormFold? bn = op.BatchNorm == null ? null : BatchNormFold.From(model, op.BatchNorm);
        int channels = bn?.Scale.Length ?? 1;
        int per = (1 << bits) - 1;
        if (channels > 1 && bits >= 4) return FoldAffineQuantize(op, bn!, unit, bits, delta, z, compactAffine);
        var thresholds = new int[channels * per];
        var signs = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            double alpha = unit * (bn?.Scale[c] ?? 1), beta = bn?.Offset[c] ?? 0;
            signs[c] = alpha < 0 ? -1 : 1;
            for (int k = 1; k <= per; k++)
            {
                double t = delta * (k - (z + 1) / 2.0 - TieGuard.Levels);
                long T;
                if (alpha == 0) T = beta >= t ? int.MinValue : int.MaxValue;
                else T = (long)Math.Clamp(Math.Ceiling((t - beta) / Math.Abs(alpha)), int.MinValue, int.MaxValue);
                thresholds[c * per + k - 1] = (int)T;
            }
        }
        return new QuantizeLayer
        {
            Source = op.Source == "stream" ? QuantizeLayer.FromStream : QuantizeLayer.FromAccumulator,
            Bits = bits, ZeroCode = z, Rows = channels, Thresholds = thresholds, Signs = signs,
        };
    }

    /// <summary>
    /// Per-channel batch norm with 15 or 255 levels: threshold tables would take 60–1020 bytes per channel (7 MB for
    /// WRN-20-10 at 8 bits), so the quantizer is folded as j = clamp((M·X + B) >> s) with
    /// M ≈ (α/Δ)·2^s, B ≈ (β/Δ + (z+1)/2 + guard)·2^s (CONTRACT.md §3, affine mode): 6 bytes per channel in the
    /// compact form (record kind 7, <see cref="CompactAffineFold"/>), else 12 (kind 6, multipliers below 2^30).
    /// </summary>
    private static QuantizeLayer FoldAffineQuantize(ExportedLayer op, BatchNormFold bn, double unit, int bits, double delta, int z, bool compact)
    {
        int channels = bn.Scale.Length;
        double[] a = Enumerable.Range(0, channels).Select(c => unit * bn.Scale[c] / delta).ToArray();
        double[] b = Enumerable.Range(0, channels).Select(c => bn.Offset[c] / delta + (z + 1) / 2.0 + TieGuard.Levels).ToArray();
        int source = op.Source == "stream" ? QuantizeLayer.FromStream : QuantizeLayer.FromAccumulator;
        CompactAffineFold.Constants? fit = compact ? CompactAffineFold.Fit(a, b) : null;
        if (fit != null)
        {
            return new QuantizeLayer
            {
                Mode = QuantizeLayer.AffineMode, CompactAffine = true, OffsetShift = fit.OffsetShift,
                Source = source, Bits = bits, ZeroCode = z, Rows = channels, Shift = fit.Shift,
                Multipliers = fit.Multipliers, Offsets = fit.Offsets,
            };
        }
        int shift = Math.Min(ShiftFor(a.Select(Math.Abs).Max()), 62 - 2 - (int)Math.Ceiling(Math.Log2(1 + b.Select(Math.Abs).Max())));
        double f = Math.Pow(2, shift);
        return new QuantizeLayer
        {
            Mode = QuantizeLayer.AffineMode,
            Source = source,
            Bits = bits, ZeroCode = z, Rows = channels, Shift = shift,
            Multipliers = a.Select(v => (int)Math.Round(v * f)).ToArray(),
            Offsets = b.Select(v => (long)Math.Round(v * f)).ToArray(),
        };
    }

    private static GlobalPoolLayer FoldPool(ExportedModel model, ExportedLayer op, double accScale, int pixels)
    {
        BatchNormFold? bn = op.BatchNorm == null ? null : BatchNormFold.From(model, op.BatchNorm);
        int classes = op.Classes;
        double unit = Math.Pow(2, LogitFracBits);
        // logit = ((accScale·Σacc/(H·W))·s_o + b_o)/T, in units of 2^−16: T divides the final logits (FORMAT.md).
        double[] a = Enumerable.Range(0, classes).Select(o => accScale / pixels * (bn?.Scale[o] ?? 1) / model.Temperature * unit).ToArray();
        double[] b = Enumerable.Range(0, classes).Select(o => (bn?.Offset[o] ?? 0) / model.Temperature * unit).ToArray();
        int shift = ShiftFor(a.Select(Math.Abs).Max());
        double f = Math.Pow(2, shift);
        return new GlobalPoolLayer
        {
            Classes = classes, Shift = shift,
            Scale = a.Select(v => (int)Math.Round(v * f)).ToArray(),
            Offset = b.Select(v => (long)Math.Round(v * f)).ToArray(),
        };
    }

    /// <summary>Largest shift (≤ 40) that keeps value·2^shift below 2^30.</summary>
    private static int ShiftFor(double maxAbs)
    {
        if (maxAbs == 0) return 0;
        int shift = (int)Math.Floor(Math.Log2(MultiplierLimit / maxAbs));
        return Math.Clamp(shift, 0, 40);
    }

    /// <summary>Latent weights [Cout, Cin, k, k] → bits (latent ≥ 0 ⇒ +1 ⇒ bit 1), layout of CONTRACT.md §4.</summary>
    public static uint[] PackWeights(ExportedModel model, ExportedLayer op)
    {
        ExportedTensor t = model.Tensor(op.Weight!);
        int k = op.Kernel, cin = op.InChannels, cout = op.OutChannels, wpc = BitConvention.WordsFor(cin);
        if (t.Data.Length != cout * cin * k * k)
            throw new NotSupportedException($"op '{op.Name}': weight tensor '{t.Name}' has {t.Data.Length} values, expected {cout}x{cin}x{k}x{k}");
        var words = new uint[cout * k * k * wpc];
        for (int o = 0; o < cout; o++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                    for (int c = 0; c < cin; c++)
                        if (t.Data[((o * cin + c) * k + ky) * k + kx] >= 0)
                            words[((o * k + ky) * k + kx) * wpc + (c >> 5)] |= 1u << (c & 31);
        return words;
    }

    private static int HeadPixels(ExportedModel model)
    {
        int h = model.Input.Height, w = model.Input.Width;
        foreach (ExportedLayer op in model.Layers)
        {
            if (op.Op == LayerOps.Conv && op.Stride == 2) { h = (h + 1) / 2; w = (w + 1) / 2; }
        }
        return h * w;
    }

    private static string Ascii(string s)
    {
        var chars = s.Select(ch => ch >= 0x20 && ch <= 0x7E ? ch : '_').Take(64).ToArray();
        return new string(chars);
    }
}
