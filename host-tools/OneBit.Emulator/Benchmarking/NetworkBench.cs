using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OneBit.Emulator.Onnx;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Emulator.Benchmarking;

/// <summary>
/// Side-by-side measurements in one process: the emulator per layer and whole network, the popcount roofline of
/// this CPU, and ONNX Runtime on the float32 version of the same network; single thread, batch 1. Everything is
/// reported as ratios because absolute times on shared machines are noisy.
/// </summary>
public static class NetworkBench
{
    public sealed record Result(double EmulatorSeconds, double[] LayerSeconds, double OrtSeconds, double RooflineBitMacs, long BinaryMacs, long BitMacs,
        long HotConvBitMacs, double HotConvSeconds, int HotConvIndex, long WorkingMemory, long AllocatedPerFrame);

    public static Result Run(Network net, Func<NetworkRunner> createRunner, int frames, double rooflineSeconds = 0.3)
    {
        var rng = new Random(1);
        byte[][] inputs = Enumerable.Range(0, Math.Max(1, Math.Min(frames, 16))).Select(_ => { var b = new byte[net.InputBytes]; rng.NextBytes(b); return b; }).ToArray();

        NetworkRunner runner = createRunner();
        var timer = new LayerTimer(net.Layers.Length);
        runner.Run(inputs[0]);                                  // warm-up: JIT, kernel tables
        runner.Observer = timer;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < frames; i++)
        {
            timer.StartFrame();
            runner.Run(inputs[i % inputs.Length]);
        }
        double emulator = clock.Elapsed.TotalSeconds / frames;
        long allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / frames;
        double[] layers = timer.SecondsPerFrame();

        double ort = OrtSecondsPerFrame(net, inputs, frames);
        double roofline = PopcountRoofline.BitMacsPerSecond(rooflineSeconds);

        long macs = 0, bitMacs = 0, hotBitMacs = 0;
        int hot = -1;
        double hotSeconds = 0;
        foreach (Layer l in net.Layers)
        {
            if (l is not ConvLayer c) continue;
            long m = (long)c.OutHeight * c.OutWidth * c.OutChannels * c.KernelSize * c.KernelSize * c.InChannels;
            macs += m; bitMacs += m * c.Bits;
            if (c.KernelSize == 3 && (hot < 0 || layers[c.Index] > hotSeconds)) { hot = c.Index; hotSeconds = layers[c.Index]; hotBitMacs = m * c.Bits; }
        }
        return new Result(emulator, layers, ort, roofline, macs, bitMacs, hotBitMacs, hotSeconds, hot, net.WorkingMemoryBytes, allocated);
    }

    private static double OrtSecondsPerFrame(Network net, byte[][] inputs, int frames)
    {
        using var ort = new OrtFrames(net, inputs);
        ort.Run(0);                                             // warm-up
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < frames; i++) ort.Run(i);
        return clock.Elapsed.TotalSeconds / frames;
    }

    /// <summary>ONNX Runtime on the float32 export of the network, single thread, over the bench's inputs.</summary>
    private sealed class OrtFrames : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly DenseTensor<float>[] _tensors;
        private readonly string _inputName;

        public OrtFrames(Network net, byte[][] inputs)
        {
            _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            _session = new InferenceSession(OnnxExport.FromNetwork(net), _options);
            int c = net.InputChannels, h = net.InputHeight, w = net.InputWidth;
            _tensors = inputs.Select(px =>
            {
                var t = new DenseTensor<float>(new[] { 1, c, h, w });
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int ch = 0; ch < c; ch++) t[0, ch, y, x] = px[(y * w + x) * c + ch];
                return t;
            }).ToArray();
            _inputName = _session.InputMetadata.Keys.First();
        }

        public void Run(int i)
        {
            using var _ = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(_inputName, _tensors[i % _tensors.Length]) });
        }

        public void Dispose()
        {
            _session.Dispose();
            _options.Dispose();
        }
    }

    /// <summary>One row of <see cref="SideBySide"/>: the median and the fastest of the frames' times, in seconds.</summary>
    public sealed record SideBySideRow(string Name, double MedianSeconds, double FastestSeconds);

    /// <summary>Whole-frame times of each kernel set and of ONNX Runtime float32 (named <see cref="OrtName"/>) on the
    /// same inputs, every frame timed on its own, in alternating rounds: each round runs frames/rounds frames of each of
    /// them in turn, so that load from other processes on a shared machine falls on all of them alike. The fastest frame
    /// is what a frame costs when the process has the core to itself; the median is the typical frame.</summary>
    public static IReadOnlyList<SideBySideRow> SideBySide(Network net, IReadOnlyList<(string Name, Func<NetworkRunner> Create)> kernels,
        int frames, int rounds = 5)
    {
        var rng = new Random(1);
        byte[][] inputs = Enumerable.Range(0, 16).Select(_ => { var b = new byte[net.InputBytes]; rng.NextBytes(b); return b; }).ToArray();
        using var ort = new OrtFrames(net, inputs);
        var runs = kernels.Select(k =>
        {
            NetworkRunner runner = k.Create();
            return (k.Name, Run: (Action<int>)(i => runner.Run(inputs[i % inputs.Length])));
        }).Append((Name: OrtName, Run: ort.Run)).ToArray();
        int perRound = Math.Max(1, frames / rounds);
        var times = runs.Select(_ => new List<double>()).ToArray();
        foreach (var r in runs) r.Run(0);                       // warm-up: JIT, kernel tables, the ORT session
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < runs.Length; k++)
                for (int i = 0; i < perRound; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    runs[k].Run(round * perRound + i);
                    times[k].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
        return runs.Select((r, k) =>
        {
            double[] t = times[k].Order().ToArray();
            return new SideBySideRow(r.Name, t[t.Length / 2], t[0]);
        }).ToArray();
    }

    public const string OrtName = "ONNX Runtime float32";

    public static string FormatSideBySide(IReadOnlyList<SideBySideRow> rows, int frames, int rounds = 5)
    {
        var inv = CultureInfo.InvariantCulture;
        SideBySideRow ort = rows.First(r => r.Name == OrtName);
        var sb = new StringBuilder();
        sb.AppendLine(string.Format(inv, "side by side (whole-frame runner, 1 thread, batch 1; {0} alternating rounds of {1} frames each; speed relative to ONNX Runtime):",
            rounds, Math.Max(1, frames / rounds)));
        sb.AppendLine(string.Format(inv, "  {0,-24} {1,14} {2,9} {3,15} {4,9}", "", "median ms", "speed", "fastest ms", "speed"));
        foreach (SideBySideRow r in rows)
            sb.AppendLine(string.Format(inv, "  {0,-24} {1,14:F3} {2,8:F2}x {3,15:F3} {4,8:F2}x", r.Name, r.MedianSeconds * 1e3, ort.MedianSeconds / r.MedianSeconds,
                r.FastestSeconds * 1e3, ort.FastestSeconds / r.FastestSeconds));
        return sb.ToString();
    }

    public static string Format(Network net, Result r, string kernelName)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"model {net.Name}: {net.InputHeight}x{net.InputWidth}x{net.InputChannels}, {net.Layers.Length} layers, up to {net.ActivationBits}-bit activations; kernel {kernelName}; 1 thread, batch 1");
        sb.AppendLine();
        sb.AppendLine(string.Format(inv, "{0,3} {1,-10} {2,12} {3,8}", "#", "kind", "us/frame", "share"));
        double total = r.LayerSeconds.Sum();
        foreach (Layer l in net.Layers)
        {
            double s = r.LayerSeconds[l.Index];
            sb.AppendLine(string.Format(inv, "{0,3} {1,-10} {2,12:F1} {3,7:P1}", l.Index, LayerKind.Name(l.Kind), s * 1e6, s / total));
        }
        sb.AppendLine();
        sb.AppendLine(string.Format(inv, "emulator               {0,10:F3} ms/frame   {1,8:F2} G binary MACs/s   {2,8:F2} G bit-MACs/s", r.EmulatorSeconds * 1e3, r.BinaryMacs / r.EmulatorSeconds / 1e9, r.BitMacs / r.EmulatorSeconds / 1e9));
        sb.AppendLine(string.Format(inv, "ONNX Runtime float32   {0,10:F3} ms/frame   (same network, 1 intra-op thread)", r.OrtSeconds * 1e3));
        sb.AppendLine(string.Format(inv, "popcount roofline      {0,10:F2} G bit-MACs/s ({1})", r.RooflineBitMacs / 1e9, PopcountRoofline.Describe()));
        if (r.HotConvIndex >= 0)
            sb.AppendLine(string.Format(inv, "hot 3x3 conv (layer {0}) {1,9:F2} G bit-MACs/s = {2:P1} of the roofline", r.HotConvIndex, r.HotConvBitMacs / r.HotConvSeconds / 1e9, r.HotConvBitMacs / r.HotConvSeconds / r.RooflineBitMacs));
        sb.AppendLine(string.Format(inv, "speed-up vs ONNX Runtime: {0:F2}x", r.OrtSeconds / r.EmulatorSeconds));
        sb.AppendLine(string.Format(inv, "working memory {0:N0} bytes (whole-frame runner); allocated per frame {1:N0} bytes", r.WorkingMemory, r.AllocatedPerFrame));
        return sb.ToString();
    }
}
