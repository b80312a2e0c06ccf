using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;
using OneBit.Runtime.Tests;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The C conv against BinaryConvReference on the runtime tests' conv sweeps: channel counts across word edges, odd and
/// 1×1 images, k 1 and 3, strides 1 and 2, paddings 0 and 1, bits 1/2/4/8 with their zero codes; whole frames and one
/// row at a time over rings; the tuned kernel's narrow, 2-bit and wide cases.
/// </summary>
public abstract class NativeConvTests
{
    /// <summary>The library's code path these tests run (the derived classes at the end of the file).</summary>
    protected abstract string CodePath { get; }

    private LayerKernels Kernels => Native.Kernels(CodePath);

    private void AssertMatches(ConvLayer layer, uint[] planes, string what)
    {
        int oh = layer.OutHeight, n = oh * layer.OutWidth * layer.OutChannels;
        var expected = new int[n];
        BinaryConvReference.Instance.Run(layer, planes, layer.InHeight, expected, oh, 0, oh);
        var actual = new int[n + 7];
        Array.Fill(actual, 12345);
        Kernels.Conv(layer, planes, layer.InHeight, actual, oh, 0, oh);
        Assert.True(expected.SequenceEqual(actual.Take(n)), what);
        Assert.All(actual.Skip(n), v => Assert.Equal(12345, v));
    }

    /// <summary><see cref="AssertMatches"/> on every level at its top (saturated) and on random levels, in that order or
    /// the other (the order decides the random draws).</summary>
    private void AssertMatchesOnLevels(ConvLayer layer, Random rng, int h, int w, int c, int bits, bool saturatedFirst)
    {
        foreach (bool saturated in new[] { saturatedFirst, !saturatedFirst })
        {
            int[] levels = Enumerable.Range(0, h * w * c).Select(_ => saturated ? (1 << bits) - 1 : rng.Next(1 << bits)).ToArray();
            AssertMatches(layer, Packing.PackLevels(levels, h, w, c, bits), $"saturated {saturated}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelSweeps.ConvCases), MemberType = typeof(KernelSweeps))]
    public void WholeFramesMatchTheReference(int c, int h, int w, int k, int stride, int pad, int bits, int zero)
    {
        var rng = new Random(c * 1000 + h * 10 + w);
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, c, c == 1 ? 3 : 33, h, w, k, stride, pad, bits, zero);
        AssertMatchesOnLevels(layer, rng, h, w, c, bits, saturatedFirst: false);
    }

    /// <summary>Input rows in a ring of 4 slots, output rows in a ring of 2, one output row per call, stale data in the
    /// rings: every row equals the reference's whole frame.</summary>
    [Theory]
    [MemberData(nameof(KernelSweeps.ConvCases), MemberType = typeof(KernelSweeps))]
    public void RowsOverRingsMatchTheReference(int c, int h, int w, int k, int stride, int pad, int bits, int zero)
    {
        var rng = new Random(c + h + 7 * w);
        const int cout = 17;
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, c, cout, h, w, k, stride, pad, bits, zero);
        uint[] planes = Packing.PackLevels(Enumerable.Range(0, h * w * c).Select(_ => rng.Next(1 << bits)).ToArray(), h, w, c, bits);
        int rowWords = w * bits * ((c + 31) / 32), oh = layer.OutHeight, rowOut = layer.OutWidth * cout;
        var whole = new int[oh * rowOut];
        BinaryConvReference.Instance.Run(layer, planes, h, whole, oh, 0, oh);
        uint[] ring = Enumerable.Range(0, 4 * rowWords).Select(_ => (uint)rng.Next()).ToArray();
        var accRing = new int[2 * rowOut];
        for (int oy = 0; oy < oh; oy++)
        {
            for (int iy = oy * stride - pad; iy < oy * stride - pad + k; iy++)
                if (iy >= 0 && iy < h) Array.Copy(planes, iy * rowWords, ring, (iy % 4) * rowWords, rowWords);
            Kernels.Conv(layer, ring, 4, accRing, 2, oy, oy + 1);
            Assert.Equal(whole.AsSpan(oy * rowOut, rowOut).ToArray(), accRing.AsSpan((oy % 2) * rowOut, rowOut).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.NarrowConvCases), MemberType = typeof(TunedKernelTests))]
    public void NarrowAndMidWidthLayersMatchTheReference(int c, int cout, int h, int w, int stride, int pad, int bits, int seed)
    {
        var rng = new Random(seed);
        int zero = seed % 4 == 3 ? 0 : (1 << bits) - 1;
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, c, cout, h, w, 3, stride, pad, bits, zero);
        AssertMatches(layer, Packing.PackLevels(Enumerable.Range(0, h * w * c).Select(_ => rng.Next(1 << bits)).ToArray(), h, w, c, bits), "random");
    }

    [Theory]
    [InlineData(225, 1, 1)]
    [InlineData(256, 2, 3)]
    [InlineData(300, 4, 0)]
    [InlineData(129, 8, 255)]
    public void WideLayersMatchTheReference(int cin, int bits, int zero)
    {
        var rng = new Random(cin + bits);
        const int h = 4, w = 5;
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, cin, 7, h, w, 3, 1, 1, bits, zero);
        AssertMatchesOnLevels(layer, rng, h, w, cin, bits, saturatedFirst: true);
    }

    /// <summary>Symmetric levels (z ≠ 0) with more outputs than the patch loop caches whole-filter popcounts for
    /// (OB_PATCH_CACHED_OUTPUTS = 64): interior pixels take the cache for the first 64 outputs and count the rest, border
    /// pixels count all, strided and not, frames wide and narrow enough to have no interior at all.</summary>
    [Theory]
    [InlineData(16, 70, 6, 7, 1, 2)]
    [InlineData(40, 65, 5, 4, 2, 2)]
    [InlineData(24, 66, 3, 3, 1, 1)]
    [InlineData(9, 64, 2, 2, 1, 2)]
    public void SymmetricLevelsPastTheCachedOutputsMatchTheReference(int cin, int cout, int h, int w, int stride, int bits)
    {
        var rng = new Random(cin * 100 + cout);
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, cin, cout, h, w, 3, stride, 1, bits, (1 << bits) - 1);
        AssertMatchesOnLevels(layer, rng, h, w, cin, bits, saturatedFirst: true);
    }

    /// <summary>The contract's classic trap (CONTRACT.md §4): with z ≠ 0 padded taps add nothing, not the level-0 value.</summary>
    [Fact]
    public void PaddedTapsAddNothingWhenTheZeroCodeIsNotZero()
    {
        var rng = new Random(5);
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, 32, 1, 1, 1, 3, 1, 1, 1, 1);
        uint[] planes = Packing.PackLevels(Enumerable.Repeat(1, 32).ToArray(), 1, 1, 32, 1);
        var acc = new int[1];
        Kernels.Conv(layer, planes, 1, acc, 1, 0, 1);
        int centre = 0;
        for (int ch = 0; ch < 32; ch++) centre += ((layer.Weights[4] >> ch) & 1) == 1 ? 1 : -1;
        Assert.Equal(centre, acc[0]);
    }
}

public sealed class NativeConvTestsOnPortable : NativeConvTests
{
    protected override string CodePath => "portable";
}

public sealed class NativeConvTestsOnAvx2 : NativeConvTests
{
    protected override string CodePath => "avx2";
}

public sealed class NativeConvTestsOnAvx512 : NativeConvTests
{
    protected override string CodePath => "avx512";
}
