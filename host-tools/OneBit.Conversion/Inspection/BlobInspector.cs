using System.Globalization;
using System.Text;
using OneBit.Runtime;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Inspection;

/// <summary>
/// The `inspect` table of a parsed blob. The text form is deterministic (invariant culture, fixed columns) so it
/// can be committed as a golden file.
/// </summary>
public static class BlobInspector
{
    public sealed record Row(int Index, string Kind, string Input, string Output, string Geometry, string Bits,
        long ParameterBytes, long BinaryMacs, long BitMacs, string Thresholds, long LiveBytes);

    public static IReadOnlyList<Row> Rows(Network net)
    {
        var rows = new List<Row>();
        foreach (Layer layer in net.Layers)
        {
            switch (layer)
            {
                case StemLayer s:
                {
                    long macs = (long)s.Height * s.Width * s.OutChannels * s.KernelSize * s.KernelSize * s.InChannels;
                    rows.Add(new Row(s.Index, "stem", Shape(s.Height, s.Width, s.InChannels) + " u8", Shape(s.Height, s.Width, s.OutChannels) + " i32",
                        $"k{s.KernelSize} s1 p{s.PadTop},{s.PadLeft}", "8", 4L * (s.Weights.Length + 2 * s.InChannels), macs, 8 * macs, "",
                        (long)s.Height * s.Width * s.InChannels + 4L * s.Height * s.Width * s.OutChannels));
                    break;
                }
                case QuantizeLayer q:
                {
                    int wpc = BitConvention.WordsFor(q.Channels);
                    bool affine = q.Mode == QuantizeLayer.AffineMode;
                    rows.Add(new Row(q.Index, "quantize", Shape(q.Height, q.Width, q.Channels) + (q.Source == 0 ? " stream" : " acc"),
                        Shape(q.Height, q.Width, q.Channels) + $" {q.Bits}b", (q.Rows == 1 ? "per-layer" : "per-channel") + (affine ? " affine" : ""), $"{q.Bits} z{q.ZeroCode}",
                        QuantizeParameterBytes(q), 0, 0, !affine ? ThresholdStats(q) : q.CompactAffine ? $"compact affine, shift {q.Shift}, B = B'*2^{q.OffsetShift}" : $"shift {q.Shift}",
                        4L * q.Height * q.Width * q.Channels + 4L * q.Height * q.Width * q.Bits * wpc));
                    break;
                }
                case ConvLayer c:
                {
                    long macs = (long)c.OutHeight * c.OutWidth * c.OutChannels * c.KernelSize * c.KernelSize * c.InChannels;
                    int wpc = c.WordsPerTap;
                    rows.Add(new Row(c.Index, "conv", Shape(c.InHeight, c.InWidth, c.InChannels) + $" {c.Bits}b", Shape(c.OutHeight, c.OutWidth, c.OutChannels) + " i32",
                        $"k{c.KernelSize} s{c.Stride} p{c.PadTop},{c.PadLeft}", $"1x{c.Bits}", 4L * c.Weights.Length, macs, macs * c.Bits, "",
                        4L * c.InHeight * c.InWidth * c.Bits * wpc + 4L * c.OutHeight * c.OutWidth * c.OutChannels));
                    break;
                }
                case ResidualLayer r:
                    rows.Add(new Row(r.Index, "residual", Shape(r.InHeight, r.InWidth, r.InChannels) + " i32", Shape(r.OutHeight, r.OutWidth, r.OutChannels) + " i32",
                        r.Shortcut == ResidualLayer.Identity ? "identity" : $"avgpool3x3s2 p{r.PadTop},{r.PadLeft}", "", 4L * r.Multipliers.Length + 4, 0, 0, "",
                        4L * r.InHeight * r.InWidth * r.InChannels + 8L * r.OutHeight * r.OutWidth * r.OutChannels));
                    break;
                case GlobalPoolLayer g:
                    rows.Add(new Row(g.Index, "globalpool", Shape(g.Height, g.Width, g.Classes) + " i32", $"{g.Classes} logits", $"shift {g.Shift}", "",
                        12L * g.Classes + 4, 0, 0, "", 4L * g.Height * g.Width * g.Classes + 4L * g.Classes));
                    break;
            }
        }
        return rows;
    }

    /// <summary>Bytes of the record's numbers in the blob (CONTRACT.md §8): kind 7 stores 3 + 3 bytes per row and shift, k.</summary>
    private static long QuantizeParameterBytes(QuantizeLayer q) =>
        q.Mode != QuantizeLayer.AffineMode ? 4L * q.Thresholds.Length + q.Rows
        : q.CompactAffine ? 6L * q.Rows + 8
        : 12L * q.Rows + 4;

    private static string ThresholdStats(QuantizeLayer q)
    {
        int min = q.Thresholds.Min(), max = q.Thresholds.Max();
        int negative = q.Signs.Count(s => s < 0);
        return $"[{min}, {max}]" + (negative > 0 ? $" {negative} neg" : "");
    }

    private static string Shape(int h, int w, int c) => $"{h}x{w}x{c}";

    public static string Text(Network net, long blobBytes)
    {
        IReadOnlyList<Row> rows = Rows(net);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine($"model        {net.Name}");
        sb.AppendLine($"input        {net.InputHeight}x{net.InputWidth}x{net.InputChannels} u8, {net.ClassCount} classes: {string.Join(", ", net.ClassNames.Take(12))}{(net.ClassCount > 12 ? ", ..." : "")}");
        long bound = StreamBound.Of(net);
        string storage = bound <= StreamBound.Int16Max ? "fits 16 bits: the device stores it in int16 rings" : "needs 32-bit rings";
        sb.AppendLine($"stream       int32, F = {net.StreamFracBits} fraction bits; activations up to {net.ActivationBits} bits");
        sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "stream bound |S| <= {0:N0} for every frame ({1})", bound, storage));
        sb.AppendLine($"test vectors {net.TestVectors.Length}");
        sb.AppendLine();
        string header = string.Format(inv, "{0,3} {1,-10} {2,-20} {3,-16} {4,-22} {5,-6} {6,10} {7,13} {8,14} {9,11} {10}",
            "#", "kind", "input", "output", "geometry", "bits", "param B", "binary MACs", "bit MACs", "live B", "thresholds");
        sb.AppendLine(header);
        sb.AppendLine(new string('-', header.Length + 8));
        foreach (Row r in rows)
        {
            sb.AppendLine(string.Format(inv, "{0,3} {1,-10} {2,-20} {3,-16} {4,-22} {5,-6} {6,10:N0} {7,13:N0} {8,14:N0} {9,11:N0} {10}",
                r.Index, r.Kind, r.Input, r.Output, r.Geometry, r.Bits, r.ParameterBytes, r.BinaryMacs, r.BitMacs, r.LiveBytes, r.Thresholds).TrimEnd());
        }
        sb.AppendLine();
        long macs = rows.Sum(r => r.BinaryMacs), bitMacs = rows.Sum(r => r.BitMacs);
        Row peak = rows.OrderByDescending(r => r.LiveBytes).First();
        sb.AppendLine(string.Format(inv, "binary MACs per frame   {0:N0} (weight bit x activation: {1:N0} bit-MACs)", macs, bitMacs));
        sb.AppendLine(string.Format(inv, "parameters              {0:N0} bytes (packed weights, thresholds, multipliers)", net.ParameterBytes));
        // Kind 7 is decoded to kind 6's int32/int64 arrays, so memory (the line above) counts 12 bytes where the blob has 6.
        long compact = net.Layers.OfType<QuantizeLayer>().Where(q => q.Mode == QuantizeLayer.AffineMode && q.CompactAffine).Sum(q => (long)q.Rows);
        if (compact > 0)
            sb.AppendLine(string.Format(inv, "compact affine          {0:N0} channels (record kind 7): 6 bytes each in the blob, 12 in memory", compact));
        sb.AppendLine(string.Format(inv, "peak live tensors       {0:N0} bytes at layer {1} ({2})", peak.LiveBytes, peak.Index, peak.Kind));
        sb.AppendLine(string.Format(inv, "runner working memory   {0:N0} bytes (whole-frame buffers: 2 streams, planes, accumulator, pool sums, logits)", net.WorkingMemoryBytes));
        sb.AppendLine(string.Format(inv, "parameters + working    {0:N0} bytes", net.ParameterBytes + net.WorkingMemoryBytes));
        long streaming = StreamingPlan.For(net, false).WorkingMemoryBytes, streamingTotal = net.ParameterBytes + streaming;
        sb.AppendLine(string.Format(inv, "streaming working memory  {0:N0} bytes; parameters + streaming  {1:N0} bytes (int32 rings, reference kernels; {2} a 96 KB heap)",
            streaming, streamingTotal, streamingTotal <= DeviceMemoryPlan.Esp32HeapBytes ? "fits" : "does not fit"));
        // What the device app allocates (DeviceMemoryPlan): tuned kernels that take over the conv weights, and the
        // streaming runner or, when it fits the budget, the whole-frame runner.
        DeviceMemoryPlan device = DeviceMemoryPlan.For(net, DeviceMemoryPlan.Esp32HeapBytes, DeviceMemoryPlan.DeviceKernels, false);
        sb.AppendLine(string.Format(inv, "device heap             {0:N0} bytes = parameters {1:N0} - blob-layout conv weights {2:N0} + {3} kernel tables {4:N0} + streaming {5:N0}{6} ({7} a 96 KB heap)",
            device.TotalBytes, device.ParameterBytes, device.ReleasedBytes, device.Kernels.Name, device.KernelBytes, device.RunnerBytes,
            device.Streaming.Int16Stream ? " with int16 stream rings" : "", device.Fits ? "fits" : "does not fit"));
        DeviceMemoryPlan whole = DeviceMemoryPlan.For(net, long.MaxValue);
        sb.AppendLine(string.Format(inv, "device heap, whole frame {0:N0} bytes = parameters - weights + kernel tables {1:N0} + frame buffers {2:N0} (faster; the app's choice when its budget allows)",
            whole.TotalBytes, whole.KernelBytes, whole.RunnerBytes));
        // The same plans with the firmware's native kernels (OneBit.Native): no tables, the blob-layout weights kept.
        DeviceMemoryPlan native = DeviceMemoryPlan.For(net, DeviceMemoryPlan.Esp32HeapBytes, FirmwareKernelSet.Figures, false);
        DeviceMemoryPlan nativeWhole = DeviceMemoryPlan.For(net, long.MaxValue, FirmwareKernelSet.Figures, true);
        sb.AppendLine(string.Format(inv, "device heap, native     {0:N0} bytes = parameters {1:N0} + streaming {2:N0}{3}; whole frame {4:N0} (firmware with OneBit.Native: the C kernels keep the blob-layout weights and no tables; {5} a 96 KB heap)",
            native.TotalBytes, native.ParameterBytes, native.RunnerBytes, native.Streaming.Int16Stream ? " with int16 stream rings" : "",
            nativeWhole.TotalBytes, native.Fits ? "fits" : "does not fit"));
        DeviceMemoryPlan esp32 = DeviceMemoryPlan.For(net, DeviceMemoryPlan.Esp32HeapBytes);
        sb.AppendLine(string.Format(inv, "device plan, 96 KB heap: {0} kernels, {1} runner, {2:N0} bytes", esp32.Kernels.Name, DeviceMemoryPlan.Name(esp32.Choice), esp32.TotalBytes));
        sb.AppendLine(string.Format(inv, "blob size               {0:N0} bytes", blobBytes));
        sb.AppendLine();
        sb.Append(StreamingPlanText(device.Streaming));
        sb.Append(KernelCostModel.Text(net));
        return sb.ToString();
    }

    private const int RunsPerLine = 12;

    /// <summary>The streaming plan of the device: per layer its inputs, ring and bytes, then the steps.</summary>
    public static string StreamingPlanText(StreamingPlan plan)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        Layer[] layers = plan.Network.Layers;
        sb.AppendLine(string.Format(inv, "streaming plan ({0} stream rings): {1:N0} steps in {2:N0} runs of consecutive layers ({3:N0} bytes), shared scratch row {4:N0} ints, working memory {5:N0} bytes",
            plan.Int16Stream ? "int16" : "int32", plan.StepCount, plan.RunCount, plan.RunListBytes, plan.ScratchRowElements, plan.WorkingMemoryBytes));
        string header = string.Format(inv, "{0,3} {1,-10} {2,-8} {3,-16} {4,6} {5,10} {6,10}", "#", "kind", "inputs", "ring", "rows", "row B", "ring B");
        sb.AppendLine(header);
        sb.AppendLine(new string('-', header.Length));
        for (int i = 0; i < layers.Length; i++)
        {
            int a = plan.InputOf(i, 0), b = plan.InputOf(i, 1), rows = plan.RingRowsOf(i);
            string inputs = a == StreamingPlan.Dead ? "dead" : a < 0 ? "-" : b < 0 ? $"{a}" : $"{a},{b}";
            string ring = rows == StreamingPlan.Shared ? "shared row"
                : rows == StreamingPlan.Aliased ? $"in place over {plan.RingOwnerOf(i)}"
                : rows > 0 ? "own" : "none";
            sb.AppendLine(string.Format(inv, "{0,3} {1,-10} {2,-8} {3,-16} {4,6} {5,10:N0} {6,10:N0}", i, LayerKind.Name(layers[i].Kind), inputs, ring,
                plan.ResolvedRowsOf(i), plan.RowBytes(i), rows > 0 ? rows * plan.RowBytes(i) : 0).TrimEnd());
        }
        for (int run = 0; run < plan.RunCount; run += RunsPerLine)
        {
            sb.Append(run == 0 ? "steps (first-last layer of each run):" : "                                    ");
            for (int r = run; r < Math.Min(run + RunsPerLine, plan.RunCount); r++)
                sb.Append(' ').Append(plan.RunFirst(r).ToString(inv)).Append('-').Append(plan.RunLast(r).ToString(inv));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
