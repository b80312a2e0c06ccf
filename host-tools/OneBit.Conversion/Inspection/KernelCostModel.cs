using System.Globalization;
using System.Text;
using OneBit.Runtime;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Inspection;

/// <summary>
/// Per-frame cost of a network on the nanoCLR interpreter with the tuned kernels (shared/Kernels/Tuned), for `inspect`.
///
/// Unit: <b>interpreted operations</b> = IL-instruction equivalents, i.e. interpreter time divided by the time of one IL
/// instruction of the calibration loop <c>for (i = 0; i &lt; n; i++) s += i;</c> (11 IL instructions per iteration).
/// The per-layer formulas follow the kernels' loop structure (per output pixel × output channel, per output pixel,
/// per element); their coefficients were fitted to per-layer CPU times measured on the host build of nanoCLR
/// (nf-interpreter targets/posix) with device/OneBit.Bench (DESIGN.md §5: which networks, how close; the measurements
/// are kept in tests/OneBit.Conversion.Tests/KernelCostModelTests.cs, which checks the fit).
/// An ESP32 time follows from DESIGN.md §4's 0.3–0.6 M simple loop iterations/s.
/// Paths the benchmark networks do not exercise (4/8-bit activations, 1-bit per-channel thresholds, Cin not in
/// {≤16, 17–32, 33–64}, non-3×3 stems) use coefficients estimated from their IL, marked "est." in <see cref="LayerCost.Path"/>.
/// </summary>
public static class KernelCostModel
{
    /// <summary>IL instructions of one iteration of the calibration loop.</summary>
    public const int IlPerLoopIteration = 11;

    /// <summary>DESIGN.md §4: estimated simple loop iterations per second of nanoCLR on a 240 MHz ESP32 (Xtensa LX6).</summary>
    public const double Esp32LoopIterationsLow = 0.3e6, Esp32LoopIterationsHigh = 0.6e6;

    /// <param name="BinaryMacs">Weight-bit × activation MACs (8-bit MACs for the stem).</param>
    /// <param name="Words32">32-bit weight words ANDed with activation words (the contract's layout: k²·wpc·bits per output).</param>
    /// <param name="Words64">64-bit words the tuned conv kernel actually processes (compact layout, padded to ≥ 3 per plane).</param>
    /// <param name="InterpretedOps">Estimated interpreted operations per frame.</param>
    /// <param name="Path">Which kernel path the estimate models.</param>
    public sealed record LayerCost(int Index, string Kind, long BinaryMacs, long Words32, long Words64, long InterpretedOps, string Path);

    public sealed record Report(IReadOnlyList<LayerCost> Layers)
    {
        public long TotalOps => Layers.Sum(l => l.InterpretedOps);
        public long TotalMacs => Layers.Sum(l => l.BinaryMacs);

        /// <summary>Estimated seconds per frame on an ESP32 at <paramref name="loopIterationsPerSecond"/> calibration-loop iterations/s.</summary>
        public double Esp32Seconds(double loopIterationsPerSecond) => TotalOps / (IlPerLoopIteration * loopIterationsPerSecond);
    }

    /// <summary>The estimate for every layer of a parsed network.</summary>
    public static Report Estimate(Network net)
    {
        var rows = new List<LayerCost>();
        foreach (Layer layer in net.Layers)
        {
            rows.Add(layer switch
            {
                StemLayer s => Stem(s),
                ConvLayer c => Conv(c),
                QuantizeLayer q => Quantize(q),
                ResidualLayer r => Residual(r),
                GlobalPoolLayer g => new LayerCost(g.Index, "globalpool", 0, 0, 0,
                    22L * g.Height * g.Width * g.Classes + 40L * g.Classes, "reference kernel"),
                _ => new LayerCost(layer.Index, LayerKind.Name(layer.Kind), 0, 0, 0, 0, "unknown"),
            });
        }
        return new Report(rows);
    }

    /// <summary>The lines `inspect` prints: one per layer, then the total and the ESP32 estimates, interpreted and native
    /// (<see cref="XtensaCostModel"/>: the C kernels compiled for Xtensa at -O2, and the -Os total).</summary>
    public static string Text(Network net)
    {
        Report r = Estimate(net);
        IReadOnlyList<XtensaCostModel.LayerCycles> o2 = XtensaCostModel.Estimate(net, XtensaCostModel.Embedded["O2"]);
        long os = XtensaCostModel.Estimate(net, XtensaCostModel.Embedded["Os"]).Sum(l => l.Cycles);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("nanoCLR cost, tuned kernels (interpreted operations = IL-instruction equivalents; KernelCostModel),");
        sb.AppendLine("beside the native kernels' ESP32 cycles (Xtensa code at -O2, 240 MHz; XtensaCostModel)");
        string header = string.Format(inv, "{0,3} {1,-10} {2,13} {3,12} {4,12} {5,14} {6,14}  {7}", "#", "kind", "binary MACs", "words32", "words64", "interp. ops", "native cycles", "path");
        sb.AppendLine(header);
        sb.AppendLine(new string('-', header.Length + 20));
        for (int i = 0; i < r.Layers.Count; i++)
        {
            LayerCost l = r.Layers[i];
            sb.AppendLine(string.Format(inv, "{0,3} {1,-10} {2,13:N0} {3,12:N0} {4,12:N0} {5,14:N0} {6,14:N0}  {7}",
                l.Index, l.Kind, l.BinaryMacs, l.Words32, l.Words64, l.InterpretedOps, o2[i].Cycles, l.Path));
        }
        long native = o2.Sum(l => l.Cycles);
        sb.AppendLine(string.Format(inv, "interpreted ops per frame {0:N0} ({1:F2} per binary MAC)", r.TotalOps, r.TotalMacs == 0 ? 0 : (double)r.TotalOps / r.TotalMacs));
        sb.AppendLine(string.Format(inv, "ESP32 estimate            {0:F1}–{1:F1} s per frame (at {2:F1}–{3:F1} M loop iterations/s, {4} IL each; DESIGN.md §4)",
            r.Esp32Seconds(Esp32LoopIterationsHigh), r.Esp32Seconds(Esp32LoopIterationsLow),
            Esp32LoopIterationsLow / 1e6, Esp32LoopIterationsHigh / 1e6, IlPerLoopIteration));
        sb.AppendLine(string.Format(inv, "ESP32 native estimate     {0:F1} ms per frame at -O2 ({1:N0} cycles), {2:F1} ms at -Os; network only, 240 MHz, IRAM code ({3:F2} cycles per binary MAC)",
            XtensaCostModel.Milliseconds(native), native, XtensaCostModel.Milliseconds(os), r.TotalMacs == 0 ? 0 : (double)native / r.TotalMacs));
        XtensaCostModel.FramePath f = XtensaCostModel.Frame(net, XtensaCostModel.Embedded["O2"]);
        sb.AppendLine(string.Format(inv, "ESP32 frame after capture {0:F1} ms = preprocess {1:F1} ms ({2}x{3} RGB565 camera frame, crop {4}x{5}, area resize, native) + network {6:F1} ms + report line {7:F1} ms (est.)",
            f.AfterCaptureMs, f.PreprocessMs, f.Preprocessor.SourceWidth, f.Preprocessor.SourceHeight, f.Preprocessor.CropWidth, f.Preprocessor.CropHeight,
            f.NetworkMs, f.ReportMs));
        sb.AppendLine(string.Format(inv, "ESP32 capture, separately {0:F1} ms = {1:N0} FIFO bytes over SPI at {2:F0} MHz (the app's clock; {3:F1} ms at the ArduChip's {4:F0} MHz), plus the wait for the sensor's next frame",
            f.CaptureMs(XtensaCostModel.AppSpiClockHz), f.CaptureBytes, XtensaCostModel.AppSpiClockHz / 1e6, f.CaptureMs(XtensaCostModel.MaxSpiClockHz), XtensaCostModel.MaxSpiClockHz / 1e6));
        return sb.ToString();
    }

    private static LayerCost Stem(StemLayer s)
    {
        long pixels = (long)s.Height * s.Width, outputs = pixels * s.OutChannels;
        long macs = outputs * s.KernelSize * s.KernelSize * s.InChannels;
        if (s.KernelSize == 3 && s.InChannels == 3)
        {
            // Per output: one sign-pattern table lookup per (kernel row, input channel) + border term + rounding store;
            // per input-row pixel: 8 signed sums per channel (fitted: 3×3 RGB stem, 16 outputs).
            long ops = outputs * (7L * 3 * s.InChannels + 43) + pixels * 150L * s.InChannels;
            return new LayerCost(s.Index, "stem", macs, 0, 0, ops, "sign-pattern rows");
        }
        if (s.KernelSize == 3)
        {
            long ops = outputs * (10L * 3 * s.InChannels + 35) + pixels * 150L * s.InChannels;
            return new LayerCost(s.Index, "stem", macs, 0, 0, ops, "sign-pattern rows (est.)");
        }
        long est = outputs * (12L * s.KernelSize * s.InChannels + 40) + pixels * s.InChannels * (40L + 12 * (1 << s.KernelSize));
        return new LayerCost(s.Index, "stem", macs, 0, 0, est, "sign-pattern groups (est.)");
    }

    private static LayerCost Conv(ConvLayer c)
    {
        long pixels = (long)c.OutHeight * c.OutWidth, outputs = pixels * c.OutChannels;
        int taps = c.KernelSize * c.KernelSize, wpc = c.WordsPerTap, bits = c.Bits;
        long macs = outputs * taps * c.InChannels;
        long words32 = outputs * taps * wpc * bits;
        int n = Math.Max(3, TunedBinaryConv.CompactWords(c.KernelSize, c.InChannels));
        int w = n * bits;
        bool straight = bits <= 2 && (n == 3 || n == 5 || n == 9);
        // Per (pixel, output channel): SWAR popcount of the 64-bit words + store. Fitted: straight-line 26·w + 11 + 25·(bits − 1);
        // looped, per plane 100 per group of 3 words + 50 per remaining word + 45, plus 20.
        // Per output pixel: gather + level sum T2, fitted 170 + 120·n + 60·n·(bits − 1).
        bool lanes = bits == 1 && n == 3 && c.KernelSize == 3 && TunedBinaryConv.SlotBits(c.InChannels) == 16 && c.OutChannels % 4 == 0;
        long perOutput = lanes ? 85
            : straight ? 26L * w + 11 + 25L * (bits - 1)
            : bits * (100L * (n / 3) + 50L * (n % 3) + 45) + 20;
        long perPixel = 170L + 120L * n + 60L * n * (bits - 1);
        string path = (lanes ? "straight-line, tap-8 lanes" : straight ? "straight-line" : "looped") + $", {n} words x {bits} plane{(bits > 1 ? "s" : "")}"
            + (bits <= 2 ? "" : " (est.)");
        return new LayerCost(c.Index, "conv", macs, words32, outputs * w, outputs * perOutput + pixels * perPixel, path);
    }

    private static LayerCost Quantize(QuantizeLayer q)
    {
        long elements = (long)q.Height * q.Width * q.Channels;
        if (q.Mode == QuantizeLayer.AffineMode) return new LayerCost(q.Index, "quantize", 0, 0, 0, (30L + 14L * q.Bits) * elements, "affine multiply-shift (est.)");
        bool shared = q.Rows == 1 && q.Signs[0] == 1;
        if (shared && q.Bits == 1) return new LayerCost(q.Index, "quantize", 0, 0, 0, 14 * elements, "shared row, unrolled");
        if (shared && q.Bits == 2) return new LayerCost(q.Index, "quantize", 0, 0, 0, 31 * elements, "shared row, 2 compares");
        if (q.Bits <= 2)
        {
            // Per-channel rows (folded batch norm) or a shared row with sign −1: per channel its thresholds in locals and
            // a strided pass over the pixels ORing into the cleared planes. Fitted at 2 bits (cifar10-bn8-c14-b2, 32×32×14,
            // 16×16×28, 8×8×56): 25 per element + 200 per channel; 1 bit (one compare, about one RMW fewer) estimated.
            string rows = q.Rows == 1 ? "shared row, sign -1" : "per-channel";
            return q.Bits == 1
                ? new LayerCost(q.Index, "quantize", 0, 0, 0, 18 * elements + 200L * q.Channels, rows + ", 1 compare (est.)")
                : new LayerCost(q.Index, "quantize", 0, 0, 0, 25 * elements + 200L * q.Channels, rows + ", 2 compares");
        }
        // 4 and 8 bits: binary search over the row (Bits steps) + eight plane-bit tests. Estimated from the IL, likely low
        // (DESIGN.md §5).
        return new LayerCost(q.Index, "quantize", 0, 0, 0, (45L + 14L * q.Bits) * elements, "binary search (est.)");
    }

    private static LayerCost Residual(ResidualLayer r)
    {
        long pixels = (long)r.OutHeight * r.OutWidth;
        long pooled = pixels * Math.Min(r.InChannels, r.OutChannels), rest = pixels * r.OutChannels - pooled;
        if (r.Shortcut == ResidualLayer.Identity)
        {
            return new LayerCost(r.Index, "residual", 0, 0, 0, 32 * pixels * r.OutChannels, "identity + add");
        }
        return new LayerCost(r.Index, "residual", 0, 0, 0, 140 * pooled + 40 * rest + 60 * pixels, "avgpool 3x3/2 + add");
    }
}
