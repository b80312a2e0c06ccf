using OneBit.Runtime.Kernels;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;
using OneBit.Runtime.Tests;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The C stem, residual (int32 and int16 stream rings) and global pool against the reference kernels on the runtime
/// tests' sweeps: stem channel counts, kernel sizes and paddings with large scales; residual identity and average-pool
/// shortcuts with every padding, zero-channel extension, int32 extremes in the stream, rings of every size.
/// </summary>
public abstract class NativeStemResidualPoolTests
{
    /// <summary>The library's code path these tests run (the derived classes at the end of the file).</summary>
    protected abstract string CodePath { get; }

    private LayerKernels Kernels => Native.Kernels(CodePath);

    [Theory]
    [MemberData(nameof(TunedKernelTests.StemCases), MemberType = typeof(TunedKernelTests))]
    public void StemMatchesTheReference(int cin, int cout, int k, int pad, int h, int w, int shift, int seed)
    {
        var rng = new Random(seed);
        int big = seed % 2 == 0 ? 1 << 20 : 30000;
        var layer = new StemLayer
        {
            InChannels = cin, OutChannels = cout, KernelSize = k, PadTop = pad, PadLeft = pad, Height = h, Width = w, Shift = shift,
            PixelScale = Enumerable.Range(0, cin).Select(_ => rng.Next(-big, big)).ToArray(),
            WeightSumScale = Enumerable.Range(0, cin).Select(_ => rng.Next(-big * 100, big * 100)).ToArray(),
            Weights = SyntheticNetworks.RandomWeights(rng, cout, k, cin),
        };
        for (int frame = 0; frame < 2; frame++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, h * w * cin);
            if (frame == 1) for (int i = 0; i < pixels.Length; i += 2) pixels[i] = 255;
            var expected = new int[h * w * cout];
            StemConvReference.Run(layer, pixels, expected);
            var whole = new int[h * w * cout];
            Kernels.Stem(layer, pixels, whole, h, 0, h);
            Assert.Equal(expected, whole);
            foreach (int ring in new[] { 1, 2, h })
            {
                var rowsOut = new int[ring * w * cout];
                for (int oy = 0; oy < h; oy++)
                {
                    Kernels.Stem(layer, pixels, rowsOut, ring, oy, oy + 1);
                    Assert.Equal(expected.AsSpan(oy * w * cout, w * cout).ToArray(), rowsOut.AsSpan((oy % ring) * w * cout, w * cout).ToArray());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.ResidualCases), MemberType = typeof(TunedKernelTests))]
    public void ResidualWholeFramesMatchTheReference(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
    {
        var rng = new Random(seed);
        ResidualLayer layer = TunedKernelTests.RandomResidual(rng, shortcut, pad, h, w, cin, cout, perChannel, shift);
        int[] stream = Enumerable.Range(0, h * w * cin).Select(_ => rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100000, 100000)).ToArray();
        int oh = layer.OutHeight, n = oh * layer.OutWidth * cout;
        int[] acc = Enumerable.Range(0, n).Select(_ => rng.Next(-300000, 300000)).ToArray();
        var expected = new int[n];
        ResidualReference.Run(layer, stream, acc, expected);
        var actual = new int[n];
        Kernels.Residual(layer, stream, h, acc, oh, actual, oh, 0, oh);
        Assert.Equal(expected, actual);
        if (shortcut == ResidualLayer.Identity && cin == cout)
        {
            // In place over the shortcut's ring, as the streaming plan writes identity residuals.
            Kernels.Residual(layer, stream, h, acc, oh, stream, h, 0, oh);
            Assert.Equal(expected, stream);
        }
    }

    [Theory]
    [MemberData(nameof(TunedKernelTests.ResidualRowRangeCases), MemberType = typeof(TunedKernelTests))]
    public void ResidualRowRangesOverRingsMatchTheReference(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
        => ResidualSweep.AssertRowRangesMatchTheReference(Kernels.Residual, shortcut, pad, h, w, cin, cout, perChannel, shift, seed);

    /// <summary>The 16-bit rings: every short of the output equals the int32 reference on the widened values while the
    /// results fit 16 bits (what StreamBound proves), and is that result truncated when they do not (as the C# kernels).</summary>
    [Theory]
    [MemberData(nameof(TunedKernelTests.ResidualRowRangeCases), MemberType = typeof(TunedKernelTests))]
    public void ResidualOverShortRingsMatchesTheReference(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
    {
        var rng = new Random(seed);
        ResidualLayer layer = TunedKernelTests.RandomResidual(rng, shortcut, pad, h, w, cin, cout, perChannel, shift);
        long maxM = layer.Multipliers.Max(m => Math.Abs((long)m)) + 1;
        int outH = layer.OutHeight, inRow = w * cin, outRow = layer.OutWidth * cout;
        foreach (bool fits in new[] { true, false })
        {
            int accLimit = fits ? (int)Math.Max(1, (16000L << shift) / maxM) : 300000;
            foreach (int inRows in new[] { 1, 3, h })
                foreach (int outRows in new[] { 1, 3, outH })
                {
                    short[] stream = Enumerable.Range(0, inRows * inRow).Select(_ => (short)rng.Next(fits ? -16000 : short.MinValue, fits ? 16001 : short.MaxValue + 1)).ToArray();
                    int[] acc = Enumerable.Range(0, 2 * outRow).Select(_ => rng.Next(-accLimit, accLimit + 1)).ToArray();
                    var expected = new int[outRows * outRow];
                    var actual = new short[expected.Length];
                    int[] wide = stream.Select(v => (int)v).ToArray();
                    for (int y0 = 0; y0 < outH; y0++)
                    {
                        ResidualReference.Run(layer, wide, inRows, acc, 2, expected, outRows, y0, y0 + 1);
                        Kernels.Residual(layer, stream, inRows, acc, 2, actual, outRows, y0, y0 + 1);
                        if (fits) Assert.All(expected, v => Assert.InRange(v, short.MinValue, short.MaxValue));
                        Assert.True(expected.Select(v => (short)v).SequenceEqual(actual), $"rings {inRows}/{outRows}, row {y0}, fits {fits}");
                    }
                }
        }
    }

    [Theory]
    [InlineData(1, 1, 10, 0)]
    [InlineData(8, 8, 10, 6)]
    [InlineData(5, 3, 100, 12)]
    [InlineData(7, 4, 33, 62)]
    public void GlobalPoolRowsMatchTheReference(int h, int w, int classes, int shift)
    {
        var rng = new Random(h + w + classes);
        var layer = new GlobalPoolLayer
        {
            Classes = classes, Shift = shift, Height = h, Width = w,
            Scale = Enumerable.Range(0, classes).Select(i => i % 5 == 0 ? (i % 2 == 0 ? int.MaxValue : int.MinValue) : rng.Next(-3000, 3000)).ToArray(),
            Offset = Enumerable.Range(0, classes).Select(i => i % 7 == 3 ? long.MaxValue - i : (long)rng.Next(-1 << 20, 1 << 20)).ToArray(),
        };
        // int32 extremes: sums·A that wrap int64 in C# and clamp to int32 in both.
        int[] acc = Enumerable.Range(0, h * w * classes).Select(i => i % 3 == 0 ? int.MaxValue : rng.Next(-20000, 20000)).ToArray();
        var expected = new int[classes];
        GlobalPoolReference.Run(layer, acc, expected);
        foreach (int ring in new[] { 1, 2, h })
        {
            var sums = new long[classes];
            var logits = new int[classes];
            var accRing = new int[ring * w * classes];
            Kernels.PoolBegin(layer, sums);
            for (int y = 0; y < h; y++)
            {
                Array.Copy(acc, y * w * classes, accRing, (y % ring) * w * classes, w * classes);
                Kernels.Pool(layer, accRing, ring, sums, y, y + 1);
            }
            Kernels.PoolFinish(layer, sums, logits);
            Assert.Equal(expected, logits);
        }
    }
}

public sealed class NativeStemResidualPoolTestsOnPortable : NativeStemResidualPoolTests
{
    protected override string CodePath => "portable";
}

public sealed class NativeStemResidualPoolTestsOnAvx2 : NativeStemResidualPoolTests
{
    protected override string CodePath => "avx2";
}

public sealed class NativeStemResidualPoolTestsOnAvx512 : NativeStemResidualPoolTests
{
    protected override string CodePath => "avx512";
}
