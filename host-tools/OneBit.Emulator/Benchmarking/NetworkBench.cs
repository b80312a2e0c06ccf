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

    /// <summary>Whole-frame seconds per frame of each kernel set and of ONNX Runtime float32 (named
    /// <see cref="OrtName"/>), measured in alternating rounds on the same inputs: every round times each of them for
    /// frames/rounds frames in turn and each keeps its fastest round, so that a burst of load from other processes on a
    /// shared machine slows one round of all of them rather than one of them.</summary>
    public static IReadOnlyList<(string Name, double Seconds)> SideBySide(Network net, IReadOnlyList<(string Name, Func<NetworkRunner> Create)> kernels,
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
        var best = new double[runs.Length];
        Array.Fill(best, double.MaxValue);
        foreach (var r in runs) r.Run(0);                       // warm-up: JIT, kernel tables, the ORT session
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < runs.Length; k++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < perRound; i++) runs[k].Run(round * perRound + i);
                best[k] = Math.Min(best[k], clock.Elapsed.TotalSeconds / perRound);
            }
        return runs.Select((r, k) => (r.Name, best[k])).ToArray();
    }

    public const string OrtName = "ONNX Runtime float32";

    public static string FormatSideBySide(IReadOnlyList<(string Name, double Seconds)> rows, int frames, int rounds = 5)
    {
        var inv = CultureInfo.InvariantCulture;
        double ort = rows.First(r => r.Name == OrtName).Seconds;
        var sb = new StringBuilder();
        sb.AppendLine(string.Format(inv, "side by side (whole-frame runner, 1 thread, batch 1; fastest of {0} alternating rounds of {1} frames):", rounds, Math.Max(1, frames / rounds)));
        foreach ((string name, double seconds) in rows)
            sb.AppendLine(string.Format(inv, "  {0,-24} {1,10:F3} ms/frame   {2,7:F2}x ONNX Runtime speed", name, seconds * 1e3, ort / seconds));
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
