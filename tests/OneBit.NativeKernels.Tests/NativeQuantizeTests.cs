using OneBit.Runtime.Kernels;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;
using OneBit.Runtime.Tests;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The C quantizer against QuantizeReference on the runtime tests' quantize sweeps: channel counts across word edges,
/// bits 1/2/4/8, shared rows of either sign and per-channel rows, int32 extremes and exact ties, the affine mode with
/// both clamps, and row ranges over rings of every size (stale ring data must be overwritten, nothing else touched).
/// </summary>
public abstract class NativeQuantizeTests
{
    /// <summary>The library's code path these tests run (the derived classes at the end of the file).</summary>
    protected abstract string CodePath { get; }

    private LayerKernels Kernels => Native.Kernels(CodePath);

    private void AssertRowsMatch(QuantizeLayer q, int[] input, int inRows, int outRows, int y0, int y1, uint seed)
    {
        int rowWords = q.Width * q.Bits * ((q.Channels + 31) / 32);
        var expected = new uint[outRows * rowWords + 2];
        var actual = new uint[expected.Length];
        for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = seed ^ (uint)i;
        QuantizeReference.Run(q, input, inRows, expected, outRows, y0, y1);
        Kernels.Quantize(q, input, inRows, actual, outRows, y0, y1);
        Assert.True(expected.SequenceEqual(actual), $"rings {inRows}/{outRows}, rows [{y0}, {y1})");
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.QuantizeCases), MemberType = typeof(TunedKernelTests))]
    public void ThresholdLayersMatchTheReference(int c, int bits, int layout, int seed)
    {
        var rng = new Random(seed);
        const int h = 3, w = 5;
        QuantizeLayer q = TunedKernelTests.RandomThresholdLayer(rng, c, bits, layout, h, w);
        AssertRowsMatch(q, TunedKernelTests.RandomQuantizeInputs(rng, q, h * w * c), h, h, 0, h, 0xDEADBEEF);
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.AffineCases), MemberType = typeof(TunedKernelTests))]
    public void AffineLayersMatchTheReference(int c, int bits, bool perChannel, int seed)
    {
        var rng = new Random(seed);
        const int h = 3, w = 5;
        QuantizeLayer q = TunedKernelTests.RandomAffineLayer(rng, c, bits, perChannel, h, w);
        int[] input = TunedKernelTests.AffineInputs(rng, h * w * c);
        AssertRowsMatch(q, input, h, h, 0, h, 0xDEADBEEF);
    }

    /// <summary>Affine sums at the ends of int64 (|M·X| near 2^62, |B| near 2^62 and beyond the contract's 2^60, where C#
    /// wraps) and every shift up to the format's 62: the C side must wrap and floor exactly as C#.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(61)]
    [InlineData(62)]
    public void AffineLayersMatchTheReferenceAtTheEndsOfInt64(int shift)
    {
        var rng = new Random(shift);
        const int h = 2, w = 3, c = 33, bits = 8;
        long[] offsets = { long.MaxValue, long.MinValue, long.MaxValue - (1L << 40), long.MinValue + 1, 1L << 62, -(1L << 62), 0, -1 };
        int[] multipliers = { int.MaxValue, int.MinValue, -1, 1, 0, 1 << 30, -(1 << 30) };
        var q = new QuantizeLayer
        {
            Mode = QuantizeLayer.AffineMode, Source = QuantizeLayer.FromAccumulator, Bits = bits, Rows = c, Shift = shift,
            Multipliers = Enumerable.Range(0, c).Select(_ => multipliers[rng.Next(multipliers.Length)]).ToArray(),
            Offsets = Enumerable.Range(0, c).Select(_ => offsets[rng.Next(offsets.Length)]).ToArray(),
            Height = h, Width = w, Channels = c,
        };
        int[] input = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(3) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => rng.Next(-300, 300) }).ToArray();
        AssertRowsMatch(q, input, h, h, 0, h, 0x600DF00D);
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.QuantizeRowRangeCases), MemberType = typeof(TunedKernelTests))]
    public void RowRangesOverRingsMatchTheReference(int c, int bits, int layout, int seed)
    {
        var rng = new Random(seed);
        const int h = 7, w = 3;
        QuantizeLayer q = layout == 3
            ? SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromAccumulator, bits, (1 << bits) - 1, c, rng.Next(2) == 0, 1000)
            : TunedKernelTests.RandomThresholdLayer(rng, c, bits, layout, h, w);
        if (layout == 3)
        {
            q.Mode = QuantizeLayer.AffineMode;
            q.Multipliers = Enumerable.Range(0, q.Rows).Select(_ => rng.Next(-70000, 70000)).ToArray();
            q.Offsets = Enumerable.Range(0, q.Rows).Select(_ => (long)rng.Next(-1 << 20, 1 << 20)).ToArray();
            q.Shift = 12;
            q.Height = h; q.Width = w; q.Channels = c;
        }
        (int, int)[] ranges = { (0, h), (0, 1), (2, 3), (1, 6), (5, 7), (3, 7), (4, 4) };
        foreach (int inRows in new[] { 1, 2, 3, h })
            foreach (int outRows in new[] { 1, 2, 3, h })
            {
                int[] input = TunedKernelTests.RandomQuantizeInputs(rng, q, inRows * w * c);
                foreach (var (y0, y1) in ranges) AssertRowsMatch(q, input, inRows, outRows, y0, y1, 0xDEADBEEF);
            }
    }
}

public sealed class NativeQuantizeTestsOnPortable : NativeQuantizeTests
{
    protected override string CodePath => "portable";
}

public sealed class NativeQuantizeTestsOnAvx2 : NativeQuantizeTests
{
    protected override string CodePath => "avx2";
}

public sealed class NativeQuantizeTestsOnAvx512 : NativeQuantizeTests
{
    protected override string CodePath => "avx512";
}
