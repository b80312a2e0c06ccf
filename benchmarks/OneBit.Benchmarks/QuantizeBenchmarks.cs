using BenchmarkDotNet.Attributes;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>
/// One whole-frame threshold quantize (int32 32×32×16 → 2 bit-planes): the reference kernel (baseline) against the
/// interpreter-tuned one, with one threshold row for the layer (shifted-ReLU networks; the tuned kernel's two-compare
/// fast path) or one row and sign per channel (folded batch norm; the per-channel 1/2-bit path: channel by channel,
/// two straight int32 compares per value, sign −1 as an exact bound; binary search remains only for 4 and 8 bits).
/// Outputs are checked to agree before anything is measured.
/// </summary>
public class QuantizeBenchmarks
{
    private const int Bits = 2;
    private QuantizeLayer _layer = null!;
    private int[] _input = null!;
    private uint[] _planes = null!;

    /// <summary>False: one threshold row shared by all channels; true: one row (and sign) per channel.</summary>
    [Params(false, true)]
    public bool PerChannel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _layer = SeededLayers.Quantize(Bits, PerChannel, seed: 42);
        // The synthetic thresholds lie in ±3000; ±4000 puts every level, and values beyond both ends, in the input.
        _input = SeededLayers.RandomInts(new Random(7), _layer.Height * _layer.Width * _layer.Channels, 4000);
        _planes = new uint[_layer.Height * _layer.Width * Bits * ((_layer.Channels + 31) / 32)];

        Reference();
        uint[] expected = (uint[])_planes.Clone();
        Array.Fill(_planes, 0xDEADBEEFu);
        Tuned();
        if (!_planes.AsSpan().SequenceEqual(expected))
            throw new InvalidOperationException($"tuned quantize differs from the reference (per-channel: {PerChannel})");
    }

    [Benchmark(Baseline = true)]
    public void Reference() => QuantizeReference.Run(_layer, _input, _planes);

    [Benchmark]
    public void Tuned() => TunedQuantize.Run(_layer, _input, _planes);
}
