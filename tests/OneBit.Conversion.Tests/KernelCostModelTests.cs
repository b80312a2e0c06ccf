using OneBit.Conversion.Inspection;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

/// <summary>
/// KernelCostModel against the per-layer CPU times measured on the host nanoCLR (device/OneBit.Bench/README.md):
/// the same synthetic networks, rebuilt with the benchmark's own SyntheticModel, must be estimated within the
/// tolerances below. If the tuned kernels change, re-run the benchmark and update both the README and these figures.
/// </summary>
public class KernelCostModelTests
{
    // Minimum per-layer µs of the tuned kernels on nanoCLR (posix build, NANOCLR_CPU_CLOCK=1), and the calibration
    // loop's iterations/s in the same run (11 IL instructions per iteration).
    private static readonly int[] FastMicros =
        { 4830, 531, 4248, 529, 4223, 1238, 529, 1840, 232, 3217, 1630, 232, 1526, 116, 2664, 845, 117, 217, 31 };
    private const double FastLoopIterationsPerSecond = 41.4e6;

    private static readonly int[] AccurateMicros =
    {
        5002, 1135, 8154, 1139, 8131, 1248, 1135, 8117, 1137, 8247, 1255, 1133, 8135, 1130, 8154, 1226, 1121, 3704, 540, 9904,
        1685, 490, 9826, 517, 9916, 624, 491, 9827, 503, 9708, 572, 484, 4665, 250, 6407, 855, 243, 6540, 246, 6553, 288, 241,
        6569, 247, 6616, 289, 239, 357, 32,
    };
    private const double AccurateLoopIterationsPerSecond = 41.8e6;

    [Theory]
    [InlineData("fast", 8, 1)]
    [InlineData("accurate", 20, 2)]
    public void EstimatesMatchTheNanoClrMeasurements(string name, int depth, int bits)
    {
        Network net = BlobReader.Read(OneBit.Bench.SyntheticModel.Make(name, 32, depth, 16, bits, 10, 12345));
        int[] micros = name == "fast" ? FastMicros : AccurateMicros;
        double opsPerMicro = (name == "fast" ? FastLoopIterationsPerSecond : AccurateLoopIterationsPerSecond) * KernelCostModel.IlPerLoopIteration / 1e6;
        KernelCostModel.Report report = KernelCostModel.Estimate(net);
        Assert.Equal(micros.Length, report.Layers.Count);

        double measuredTotal = 0;
        for (int i = 0; i < micros.Length; i++)
        {
            double measured = micros[i] * opsPerMicro;
            measuredTotal += measured;
            KernelCostModel.LayerCost l = report.Layers[i];
            double tolerance = l.Kind is "conv" or "stem" ? 0.25 : 0.4;
            Assert.True(Math.Abs(l.InterpretedOps - measured) <= tolerance * measured,
                $"{name} layer {i} ({l.Kind}, {l.Path}): estimated {l.InterpretedOps:N0} ops, measured {measured:N0}");
        }
        Assert.InRange(report.TotalOps, 0.9 * measuredTotal, 1.1 * measuredTotal);
    }

    [Fact]
    public void TextHasOneLinePerLayerAndAnEsp32Estimate()
    {
        Network net = BlobReader.Read(OneBit.Bench.SyntheticModel.Make("fast", 32, 8, 16, 1, 10, 12345));
        string text = KernelCostModel.Text(net);
        Assert.Contains("ESP32 estimate", text);
        Assert.Contains("straight-line, tap-8 lanes, 3 words x 1 plane", text);
        KernelCostModel.Report r = KernelCostModel.Estimate(net);
        Assert.True(r.Esp32Seconds(KernelCostModel.Esp32LoopIterationsHigh) < r.Esp32Seconds(KernelCostModel.Esp32LoopIterationsLow));
        // 32-bit words carry 16–32 MACs each here (16-channel taps fill half a word).
        long convWords = r.Layers.Where(l => l.Kind == "conv").Sum(l => l.Words32);
        long convMacs = r.Layers.Where(l => l.Kind == "conv").Sum(l => l.BinaryMacs);
        Assert.InRange(convMacs, convWords * 16, convWords * 32);
    }
}
