using System.Globalization;
using System.Reflection;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Inspection;

/// <summary>
/// Per-frame cost of a network with the native kernels (native/onebit_kernels) on an ESP32 at 240 MHz, for `inspect`:
/// cycles per iteration of every kernel loop, counted in the Xtensa disassembly by scripts/xtensa-estimate.sh (the
/// checked-in table native/onebit_kernels/xtensa/xtensa-cycles.tsv, embedded in this assembly), times the iteration
/// counts the kernels' loops make for each layer's shapes (the loops of src/*.c, border taps counted exactly).
/// Assumptions (code in IRAM, data in internal DRAM, no cache misses; lx106 code standing in for the LX6's) are in
/// native/onebit_kernels/xtensa/README.md; loop bodies with alternatives are priced by their dearest path.
/// </summary>
public static class XtensaCostModel
{
    /// <summary>The ESP32's usual CPU clock.</summary>
    public const double ClockHz = 240e6;

    /// <summary>Columns of the table, in order.</summary>
    public static readonly string[] Columns = { "opt", "role", "insns", "loads", "stores", "branches", "calls", "cycles" };

    public sealed record Row(string Opt, string Role, int Insns, int Loads, int Stores, int Branches, int Calls, int Cycles);

    /// <summary>Cycles per iteration by role, for one optimisation level of the table.</summary>
    public sealed class Table
    {
        private readonly Dictionary<string, int> _cycles;
        public string Opt { get; }
        public Table(string opt, Dictionary<string, int> cycles) { Opt = opt; _cycles = cycles; }
        public int this[string role] => _cycles.TryGetValue(role, out int c) ? c
            : throw new InvalidDataException($"xtensa-cycles.tsv has no row for {Opt} {role}: rerun scripts/xtensa-estimate.sh");
    }

    /// <summary>Parses the script's output: a '#' header line naming <see cref="Columns"/>, then tab-separated rows.</summary>
    public static IReadOnlyList<Row> Parse(string text)
    {
        var rows = new List<Row>();
        int line = 0;
        foreach (string raw in text.Split('\n'))
        {
            line++;
            string l = raw.TrimEnd('\r');
            if (l.Length == 0) continue;
            string[] f = l.TrimStart('#', ' ').Split('\t');
            if (l.StartsWith('#'))
            {
                if (!f.SequenceEqual(Columns)) throw new InvalidDataException($"line {line}: header is not '# {string.Join("\\t", Columns)}'");
                continue;
            }
            if (f.Length != Columns.Length) throw new InvalidDataException($"line {line}: {f.Length} fields, expected {Columns.Length}");
            int[] n = new int[6];
            for (int i = 0; i < 6; i++)
            {
                if (!int.TryParse(f[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out n[i]))
                    throw new InvalidDataException($"line {line}: {Columns[i + 2]} '{f[i + 2]}' is not a count");
            }
            if (n[5] < n[0]) throw new InvalidDataException($"line {line}: {n[5]} cycles for {n[0]} instructions (at least one each)");
            rows.Add(new Row(f[0], f[1], n[0], n[1], n[2], n[3], n[4], n[5]));
        }
        return rows;
    }

    /// <summary>The embedded table, one <see cref="Table"/> per optimisation level ("O2", "Os").</summary>
    public static IReadOnlyDictionary<string, Table> Embedded => _embedded.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, Table>> _embedded = new(() =>
    {
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream("OneBit.Conversion.xtensa-cycles.tsv")
            ?? throw new InvalidOperationException("xtensa-cycles.tsv is not embedded in OneBit.Conversion");
        using var reader = new StreamReader(s);
        return Parse(reader.ReadToEnd()).GroupBy(r => r.Opt)
            .ToDictionary(g => g.Key, g => new Table(g.Key, g.ToDictionary(r => r.Role, r => r.Cycles)));
    });

    public sealed record LayerCycles(int Index, string Kind, long Cycles);

    /// <summary>Cycles per frame of every layer of <paramref name="net"/> with the given table.</summary>
    public static IReadOnlyList<LayerCycles> Estimate(Network net, Table t)
    {
        bool int16 = StreamBound.Of(net) <= StreamBound.Int16Max;
        var rows = new List<LayerCycles>();
        foreach (Layer layer in net.Layers)
        {
            long c = layer switch
            {
                ConvLayer v => Conv(v, t),
                StemLayer s => Stem(s, t),
                QuantizeLayer q => Quantize(q, t),
                ResidualLayer r => Residual(r, t, int16 ? "i16" : "i32"),
                GlobalPoolLayer g => (long)g.Height * t["pool.row"] + (long)g.Height * g.Width * t["pool.pixel"]
                    + (long)g.Height * g.Width * g.Classes * t["pool.class"],
                _ => 0,
            };
            rows.Add(new LayerCycles(layer.Index, LayerKind.Name(layer.Kind), c));
        }
        return rows;
    }

    /// <summary>Σ over output rows (or columns) of the taps inside the input: the kernels' ky0..ky1 (kx0..kx1) ranges.</summary>
    public static long ValidTaps(int outSize, int stride, int pad, int k, int inSize)
    {
        long sum = 0;
        for (int o = 0; o < outSize; o++)
        {
            int i0 = o * stride - pad;
            int k0 = i0 < 0 ? -i0 : 0, k1 = Math.Min(k, inSize - i0);
            sum += Math.Max(0, k1 - k0);
        }
        return sum;
    }

    /// <summary>Words per plane of src/conv_patch.h's gathered patch (OB_PATCH_WORDS).</summary>
    public const int PatchWords = 64;

    /// <summary>True when the device build runs the gathered-patch loop for this layer (conv_patch_fits).</summary>
    public static bool TakesPatchPath(ConvLayer c) => (c.Bits == 1 || c.Bits == 2) && (long)c.KernelSize * c.KernelSize * c.WordsPerTap <= PatchWords;

    private static long Conv(ConvLayer c, Table t)
    {
        if (TakesPatchPath(c)) return PatchConv(c, t);
        long rows = c.OutHeight, pixels = (long)c.OutHeight * c.OutWidth, cout = c.OutChannels, wpc = c.WordsPerTap, bits = c.Bits;
        long vr = ValidTaps(c.OutHeight, c.Stride, c.PadTop, c.KernelSize, c.InHeight);
        long vc = ValidTaps(c.OutWidth, c.Stride, c.PadLeft, c.KernelSize, c.InWidth);
        long taps = vr * vc;   // Σ over output pixels of the valid taps
        long cycles = rows * t["conv.row"] + pixels * t["conv.pixel"]
            + vr * c.OutWidth * t["conv.data.row"] + taps * t["conv.data.tap"]
            + taps * bits * t["conv.data.plane"] + taps * bits * wpc * t["conv.data.word"];
        if (bits == 1)
            return cycles + pixels * cout * t["conv.b1.output"] + taps * cout * t["conv.b1.tap"] + taps * cout * wpc * t["conv.b1.word"];
        return cycles + pixels * cout * t["conv.bn.output"] + taps * cout * t["conv.bn.tap"] + taps * cout * wpc * t["conv.bn.word"]
            + taps * cout * wpc * bits * t["conv.bn.plane"];
    }

    /// <summary>Outputs whose whole-filter popcount a call of the patch loop counts once (OB_PATCH_CACHED_OUTPUTS).</summary>
    public const int PatchCachedOutputs = 64;

    /// <summary>Σ over output rows (or columns) of 1 where all k taps are inside the input.</summary>
    public static long FullWindows(int outSize, int stride, int pad, int k, int inSize)
    {
        long count = 0;
        for (int o = 0; o < outSize; o++)
        {
            int i0 = o * stride - pad;
            if (i0 >= 0 && i0 + k <= inSize) count++;
        }
        return count;
    }

    private static long PatchConv(ConvLayer c, Table t)
    {
        long pixels = (long)c.OutHeight * c.OutWidth, cout = c.OutChannels, wpc = c.WordsPerTap, k = c.KernelSize, n = k * k * wpc;
        long taps = ValidTaps(c.OutHeight, c.Stride, c.PadTop, c.KernelSize, c.InHeight) * ValidTaps(c.OutWidth, c.Stride, c.PadLeft, c.KernelSize, c.InWidth);
        string p = c.Bits == 2 ? "conv.patch2." : "conv.patch1.";
        long cycles = c.OutHeight * (long)t["conv.patch.row"] + pixels * t["conv.patch.pixel"] + pixels * k * t["conv.patch.taprow"]
            + pixels * k * k * t["conv.patch.tap"] + taps * wpc * t["conv.patch.gather"] + (pixels * k * k - taps) * wpc * t["conv.patch.clear"];
        if (c.ZeroCode == 0) return cycles + pixels * cout * t[p + "output"] + pixels * cout * n * t[p + "word"];
        // z ≠ 0: the weights' ones, once per call for the cached outputs (a whole frame is one call), and per pixel only
        // where a window reaches into the padding or for outputs beyond the cache.
        long cached = Math.Min(cout, PatchCachedOutputs);
        long interior = FullWindows(c.OutHeight, c.Stride, c.PadTop, c.KernelSize, c.InHeight)
            * FullWindows(c.OutWidth, c.Stride, c.PadLeft, c.KernelSize, c.InWidth);
        long counted = (pixels - interior) * cached + pixels * (cout - cached);
        return cycles + pixels * cout * t[p + "sym.output"] + pixels * cout * n * t[p + "sym.word"] + counted * n * t[p + "ones"]
            + cached * t["conv.patch.filterones.output"] + cached * n * t["conv.patch.filterones.word"];
    }

    /// <summary>True when the stem takes stem_rows_small (k ≤ 3, Cin ≤ 3: OB_STEM_SMALL_K, OB_STEM_SMALL_CIN).</summary>
    public static bool TakesSmallStem(StemLayer s) => s.KernelSize <= 3 && s.InChannels <= 3;

    private static long Stem(StemLayer s, Table t)
    {
        long pixels = (long)s.Height * s.Width, cout = s.OutChannels, cin = s.InChannels, k = s.KernelSize, kk = k * k;
        long vr = ValidTaps(s.Height, 1, s.PadTop, s.KernelSize, s.Height);
        long vc = ValidTaps(s.Width, 1, s.PadLeft, s.KernelSize, s.Width);
        long taps = vr * vc;
        if (TakesSmallStem(s))
        {
            return s.Height * (long)t["stem.small.row"] + pixels * t["stem.small.pixel"] + pixels * k * t["stem.small.taprow"]
                + pixels * kk * t["stem.small.tap"] + taps * cin * t["stem.small.channel"] + taps * ((1L << (int)cin) - 1) * t["stem.small.pattern"]
                + pixels * cin * t["stem.small.base"] + pixels * cout * t["stem.small.output"] + pixels * cout * kk * t["stem.small.mac"];
        }
        return s.Height * (long)t["stem.row"] + pixels * t["stem.pixel"] + vr * s.Width * t["stem.taprow"] + taps * t["stem.tap"]
            + pixels * cout * t["stem.output"] + pixels * cout * cin * t["stem.channel"] + taps * cout * cin * t["stem.mac"];
    }

    private static long Quantize(QuantizeLayer q, Table t)
    {
        long pixels = (long)q.Height * q.Width, words = pixels * ((q.Channels + 31) >> 5), elements = pixels * q.Channels;
        if (q.Mode == QuantizeLayer.ThresholdMode && q.Bits <= 2)   // threshold_rows_low_bits
            return q.Height * (long)t["quantize.low.row"] + pixels * t["quantize.low.pixel"] + words * t["quantize.low.word"]
                + elements * t["quantize.low.element"];
        long cycles = q.Height * (long)t["quantize.row"] + pixels * t["quantize.pixel"] + words * t["quantize.word"]
            + words * q.Bits * t["quantize.store"] + elements * q.Bits * t["quantize.bit"];
        return q.Mode == QuantizeLayer.AffineMode
            ? cycles + elements * t["quantize.affine"]
            : cycles + elements * t["quantize.threshold"] + elements * q.ThresholdsPerRow * t["quantize.step"];
    }

    private static long Residual(ResidualLayer r, Table t, string stream)
    {
        string p = "residual." + stream + ".";
        long pixels = (long)r.OutHeight * r.OutWidth, elements = pixels * r.OutChannels;
        long cycles = r.OutHeight * (long)t[p + "row"] + pixels * t[p + "pixel"];
        if (r.Shortcut == ResidualLayer.Identity) return cycles + elements * t[p + "identity"];
        long copy = Math.Min(r.InChannels, r.OutChannels);
        long vr = ValidTaps(r.OutHeight, 2, r.PadTop, 3, r.InHeight), vc = ValidTaps(r.OutWidth, 2, r.PadLeft, 3, r.InWidth);
        return cycles + vr * r.OutWidth * t[p + "cellrow"] + vr * vc * t[p + "cellsetup"]
            + elements * t[p + "pooled"] + vr * vc * copy * t[p + "poolcell"];
    }

    /// <summary>Cycles of the native preprocessor (src/frame.c) on an RGB565 frame: every source pixel of every output
    /// pixel's window (area resize: the crop once), every window row, every output pixel (its means and stores).</summary>
    public static long Rgb565PreprocessCycles(int cropHeight, int cropWidth, int outHeight, int outWidth, Table t) =>
        outHeight * (long)t["frame.row"] + (long)outHeight * outWidth * t["frame.rgb565.output"]
        + (long)cropHeight * outWidth * t["frame.rgb565.row"] + (long)cropHeight * cropWidth * t["frame.rgb565.pixel"];

    /// <summary>The camera frame DeviceApp preprocesses by default: ArduCamSettings' 160×120 RGB565 (device/OneBit.Camera).</summary>
    public const int CameraWidth = 160, CameraHeight = 120;

    /// <summary>The app's SPI clock for the ArduCAM FIFO (SpiClockHz, device/OneBit.App/nanoFramework/Program.cs) and the
    /// 8 MHz the driver names as the ArduChip's limit (ArduCamMini2MP's SPI test message).</summary>
    public const double AppSpiClockHz = 4e6, MaxSpiClockHz = 8e6;

    /// <summary>The report line (DeviceApp.Step: "frame N: class …, score …, ms (capture, preprocess, run)"), about 80
    /// characters, leaves by Console.WriteLine over nanoFramework's wire protocol, assumed at 921,600 baud (10 bits a
    /// character); building it is about 100 IL instructions and a dozen native string calls, 0.03–0.06 ms at DESIGN.md
    /// §4's interpreter rate. An estimate, not a measurement.</summary>
    public const double ReportLineMs = 80 * 10 / 921600.0 * 1e3 + 0.06;

    public sealed record FramePath(FramePreprocessor Preprocessor, long PreprocessCycles, long NetworkCycles, double ReportMs, int CaptureBytes)
    {
        public double PreprocessMs => Milliseconds(PreprocessCycles);
        public double NetworkMs => Milliseconds(NetworkCycles);
        /// <summary>Preprocess + network + report: the frame after capture.</summary>
        public double AfterCaptureMs => PreprocessMs + NetworkMs + ReportMs;
        /// <summary>SPI time of the FIFO burst reads at <paramref name="clockHz"/> (8 bits a byte, no gaps).</summary>
        public double CaptureMs(double clockHz) => CaptureBytes * 8 / clockHz * 1e3;
    }

    /// <summary>The frame path of <paramref name="net"/> on the default camera frame, native kernels and preprocessor.</summary>
    public static FramePath Frame(Network net, Table t)
    {
        var pre = new FramePreprocessor(CameraWidth, CameraHeight, PixelFormat.Rgb565, net.InputHeight, net.InputWidth, net.InputChannels, ResizeMode.Area, true);
        long preprocess = Rgb565PreprocessCycles(pre.CropHeight, pre.CropWidth, net.InputHeight, net.InputWidth, t);
        return new FramePath(pre, preprocess, Estimate(net, t).Sum(l => l.Cycles), ReportLineMs, pre.SourceBytes);
    }

    /// <summary>Milliseconds at <see cref="ClockHz"/>.</summary>
    public static double Milliseconds(long cycles) => cycles / ClockHz * 1e3;
}
