using BenchmarkDotNet.Attributes;
using OneBit.HostKernels;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>
/// One whole-frame 3×3 binary conv layer (all output rows) through each IBinaryConvKernel: the contract's reference
/// loops (baseline), the host's hardware-popcount kernel and the interpreter-tuned kernel the device runs. The ratio
/// column is the speed-up over the reference. Seeded random weights and activations; the kernels' outputs are checked
/// to agree bit for bit before anything is measured.
/// </summary>
[BinaryMacsColumns]
public class BinaryConvBenchmarks
{
    private ConvLayer _layer = null!;
    private uint[] _planes = null!;
    private int[] _acc = null!;
    private PopcountConvKernel _popcount = null!;
    private TunedBinaryConv _tuned = null!;

    public static IEnumerable<ConvShape> Shapes => ConvShape.DeviceClassCifar10;

    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = null!;

    /// <summary>Activation bits (bit-planes) the conv consumes.</summary>
    [Params(1, 2)]
    public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _layer = SeededLayers.Conv(Shape, Bits, seed: 42);
        _planes = SeededLayers.RandomPlanes(new Random(7), _layer.InHeight, _layer.InWidth, _layer.InChannels, Bits);
        _acc = new int[_layer.OutHeight * _layer.OutWidth * _layer.OutChannels];
        _popcount = new PopcountConvKernel();
        _tuned = new TunedBinaryConv();

        // Builds the popcount tables and the tuned plan outside the measurement and checks bit-exactness.
        int[] expected = RunOnce(BinaryConvReference.Instance);
        foreach (IBinaryConvKernel kernel in new IBinaryConvKernel[] { _popcount, _tuned })
        {
            if (!RunOnce(kernel).AsSpan().SequenceEqual(expected))
                throw new InvalidOperationException($"{kernel.Name} differs from the reference on {Shape}, {Bits} bits");
        }
    }

    [Benchmark(Baseline = true)]
    public void Reference() => Run(BinaryConvReference.Instance);

    [Benchmark]
    public void Popcount() => Run(_popcount);

    [Benchmark]
    public void Tuned() => Run(_tuned);

    private void Run(IBinaryConvKernel kernel) =>
        kernel.Run(_layer, _planes, _layer.InHeight, _acc, _layer.OutHeight, 0, _layer.OutHeight);

    private int[] RunOnce(IBinaryConvKernel kernel)
    {
        Array.Fill(_acc, int.MinValue);
        Run(kernel);
        return (int[])_acc.Clone();
    }
}
