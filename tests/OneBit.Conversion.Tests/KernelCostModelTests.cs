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
        { 5879, 516, 4669, 535, 4626, 1118, 521, 2015, 232, 3144, 1879, 223, 1458, 119, 2530, 954, 113, 217, 33 };
    private const double FastLoopIterationsPerSecond = 39.4e6;

    private static readonly int[] AccurateMicros =
    {
        6073, 1140, 8516, 1160, 8453, 1149, 1132, 8363, 1135, 8379, 1147, 1134, 8494, 1148, 8443, 1167, 1131, 3780, 535, 9831,
        1908, 484, 9678, 500, 9605, 562, 484, 9711, 501, 9626, 560, 483, 4611, 252, 6626, 971, 242, 6919, 248, 6816, 280, 241,
        6736, 248, 6835, 283, 242, 376, 33,
    };
    private const double AccurateLoopIterationsPerSecond = 41.2e6;

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
        Assert.Contains("straight-line, 3 words x 1 plane", text);
        KernelCostModel.Report r = KernelCostModel.Estimate(net);
        Assert.True(r.Esp32Seconds(KernelCostModel.Esp32LoopIterationsHigh) < r.Esp32Seconds(KernelCostModel.Esp32LoopIterationsLow));
        // 32-bit words carry 16–32 MACs each here (16-channel taps fill half a word).
        long convWords = r.Layers.Where(l => l.Kind == "conv").Sum(l => l.Words32);
        long convMacs = r.Layers.Where(l => l.Kind == "conv").Sum(l => l.BinaryMacs);
        Assert.InRange(convMacs, convWords * 16, convWords * 32);
    }
}
