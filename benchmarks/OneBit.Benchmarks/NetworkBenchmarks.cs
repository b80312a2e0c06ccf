using BenchmarkDotNet.Attributes;
using OneBit.HostKernels;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>
/// Classifying one whole frame of a committed model (the blob's first test vector's pixels): the whole-frame runner
/// with the reference kernels (baseline), the whole-frame runner as `onebit --kernel host` builds it (hardware-popcount
/// conv, tuned stem/quantize/residual), and the device path (streaming runner, tuned conv holding the weights, tuned
/// quantize and residual rows, as device/OneBit.App builds it). Each runner must reproduce the test vector's class and logits CRC before anything is
/// measured.
/// </summary>
[BinaryMacsColumns]
public class NetworkBenchmarks
{
    private byte[] _pixels = null!;
    private NetworkRunner _reference = null!;
    private NetworkRunner _host = null!;
    private StreamingRunner _device = null!;

    public static IEnumerable<ModelBlob> Models => ModelBlob.Committed();

    [ParamsSource(nameof(Models))]
    public ModelBlob Model { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Network net = Model.Load();
        if (net.TestVectors.Length == 0) throw new InvalidOperationException($"{Model.Name} has no embedded test vector");
        TestVector vector = net.TestVectors[0];
        _pixels = vector.Pixels;

        _reference = new NetworkRunner(net);
        // What host-tools/OneBit.Cli/Commands/KernelChoice.Runner("host", net) returns; that class lives in the CLI
        // executable (with TorchSharp and the rest of the tool chain), so the one line is repeated here.
        _host = new NetworkRunner(net, new PopcountConvKernel(), tunedLayers: true) { Quantizer = new VectorQuantizeKernel() };
        // device/OneBit.App/DeviceApp.cs: the tuned conv takes over the weights of its own parse of the blob.
        Network deviceNet = Model.Load();
        _device = new StreamingRunner(deviceNet, TunedBinaryConv.TakingOverWeights(deviceNet), long.MaxValue, true, StreamBound.FitsInt16(deviceNet));

        Check("reference", _reference.Run(_pixels), _reference.LogitsChecksum(), vector);
        Check("host", _host.Run(_pixels), _host.LogitsChecksum(), vector);
        Check("device", _device.Run(_pixels), _device.LogitsChecksum(), vector);
    }

    [Benchmark(Baseline = true)]
    public int Reference() => _reference.Run(_pixels);

    [Benchmark]
    public int HostPopcount() => _host.Run(_pixels);

    [Benchmark]
    public int DeviceStreamingTuned() => _device.Run(_pixels);

    private void Check(string runner, int predicted, uint crc, TestVector vector)
    {
        if (predicted != vector.ExpectedClass || crc != vector.LogitsCrc)
        {
            throw new InvalidOperationException($"{runner} runner on {Model.Name}: class {predicted}, logits CRC 0x{crc:X8}; " +
                $"the test vector expects class {vector.ExpectedClass}, CRC 0x{vector.LogitsCrc:X8}");
        }
    }
}
