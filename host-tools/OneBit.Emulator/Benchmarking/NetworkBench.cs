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
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(OnnxExport.FromNetwork(net), options);
        int c = net.InputChannels, h = net.InputHeight, w = net.InputWidth;
        var tensors = inputs.Select(px =>
        {
            var t = new DenseTensor<float>(new[] { 1, c, h, w });
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int ch = 0; ch < c; ch++) t[0, ch, y, x] = px[(y * w + x) * c + ch];
            return t;
        }).ToArray();
        string inputName = session.InputMetadata.Keys.First();
        using (session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensors[0]) })) { }   // warm-up
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < frames; i++)
        {
            using var _ = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensors[i % tensors.Length]) });
        }
        return clock.Elapsed.TotalSeconds / frames;
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
