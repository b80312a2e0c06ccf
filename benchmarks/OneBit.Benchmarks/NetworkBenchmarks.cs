using BenchmarkDotNet.Attributes;
using OneBit.HostKernels;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>
/// Classifying one whole frame of a committed model (the blob's first test vector's pixels): the whole-frame runner
/// with the reference kernel set (baseline), the whole-frame runner with the host set (what `onebit --kernel host`
/// runs), and the device path (the streaming runner and tuned kernels of the device memory plan for an ESP32 heap, as
/// device/OneBit.App builds it). Each runner must reproduce the test vector's class and logits CRC before anything is
/// measured.
/// </summary>
[BinaryMacsColumns]
public class NetworkBenchmarks
{
    private byte[] _pixels = null!;
    private NetworkRunner _reference = null!;
    private NetworkRunner _host = null!;
    private IFrameClassifier _device = null!;

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

        _reference = new NetworkRunner(net, ReferenceKernelSet.Instance);
        _host = new NetworkRunner(net, HostKernelSet.Host);
        // device/OneBit.App/DeviceApp.cs: the kernels take over the weights of their own parse of the blob.
        Network deviceNet = Model.Load();
        _device = RunnerFactory.Build(DeviceMemoryPlan.For(deviceNet, DeviceMemoryPlan.Esp32HeapBytes, DeviceMemoryPlan.DeviceKernels, false));

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
