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
        { 5165, 546, 4342, 553, 4204, 1199, 548, 1888, 239, 3293, 1646, 236, 1537, 121, 2641, 852, 120, 220, 34 };
    private const double FastLoopIterationsPerSecond = 40.6e6;

    private static readonly int[] AccurateMicros =
    {
        5009, 1131, 8372, 1159, 8352, 1175, 1140, 8247, 1161, 8327, 1160, 1137, 8327, 1167, 8396, 1154, 1128, 3768, 536, 9762,
        1599, 484, 9618, 508, 9803, 562, 486, 9817, 506, 9943, 568, 489, 4764, 254, 6646, 841, 242, 6636, 263, 6597, 278, 242,
        6541, 251, 6694, 277, 241, 374, 33,
    };
    private const double AccurateLoopIterationsPerSecond = 40.0e6;

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
