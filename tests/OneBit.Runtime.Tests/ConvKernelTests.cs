using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class ConvKernelTests
{
    /// <summary>Kernels under test; optimized kernels join this list and must match the float oracle too. The host kernel
    /// runs with its vector paths, without the row and byte paths (what `--kernel host-scalar` runs) and without any
    /// vector path, so that every one of its paths is checked on a machine that has them all.</summary>
    public static IEnumerable<IBinaryConvKernel> Kernels() => new IBinaryConvKernel[]
    {
        BinaryConvReference.Instance,
        new OneBit.HostKernels.PopcountConvKernel(),
        new OneBit.HostKernels.PopcountConvKernel(vectorRows: false),
        new OneBit.HostKernels.PopcountConvKernel(vectorRows: false, vectorDot: false),
        new OneBit.Runtime.Kernels.Tuned.TunedBinaryConv(),
    };

    public static ConvLayer MakeLayer(Random rng, int cin, int cout, int h, int w, int k, int stride, int pad, int bits, int zero) =>
        new ConvLayer
        {
            KernelSize = k, Stride = stride, PadTop = pad, PadLeft = pad, InChannels = cin, OutChannels = cout,
            Weights = SyntheticNetworks.RandomWeights(rng, cout, k, cin),
            InHeight = h, InWidth = w, OutHeight = (h + stride - 1) / stride, OutWidth = (w + stride - 1) / stride,
            Bits = bits, ZeroCode = zero,
        };

    [Theory]
    [MemberData(nameof(KernelSweeps.ConvCases), MemberType = typeof(KernelSweeps))]
    public void BinaryConvMatchesFloatConvOnLevelValues(int c, int h, int w, int k, int stride, int pad, int bits, int zero)
    {
        var rng = new Random(c * 1000 + h * 10 + w);
        int cout = c == 1 ? 3 : 33;
        ConvLayer layer = MakeLayer(rng, c, cout, h, w, k, stride, pad, bits, zero);
        int[] levels = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(1 << bits)).ToArray();
        uint[] planes = Packing.PackLevels(levels, h, w, c, bits);

        // Real activations a_j = (Δ/2)(2j − z), Δ = 0.5 (dyadic, so every sum is exact in double), zero padded.
        const double halfDelta = 0.25;
        double[] real = levels.Select(j => halfDelta * (2 * j - zero)).ToArray();
        double[] y = FloatOracle.Conv(real, h, w, c, FloatOracle.UnpackWeights(layer.Weights, cout, k, c), cout, k, stride, pad, pad, out int oh, out int ow);

        foreach (IBinaryConvKernel kernel in Kernels())
        {
            var acc = new int[oh * ow * cout + 7];
            Array.Fill(acc, 12345);
            kernel.Run(layer, planes, h, acc, oh, 0, oh);
            for (int i = 0; i < oh * ow * cout; i++)
            {
                Assert.True(y[i] / halfDelta == acc[i], $"{kernel.Name}: output {i} is {acc[i]}, the float conv gives {y[i] / halfDelta}");
            }
            Assert.Equal(12345, acc[oh * ow * cout]);
        }
    }

    [Fact]
    public void PaddingWithLevelZeroWouldBeWrongWhenZeroCodeIsNotZero()
    {
        // 1×1 image, 3×3 kernel: only the centre tap is valid. With z = 1 (levels ±1), level 0 means −1, so
        // treating the 8 padded taps as level 0 would add −w for each; the contract's true-zero padding adds nothing.
        var rng = new Random(5);
        ConvLayer layer = MakeLayer(rng, 32, 1, 1, 1, 3, 1, 1, 1, 1);
        uint[] planes = Packing.PackLevels(Enumerable.Repeat(1, 32).ToArray(), 1, 1, 32, 1);
        var acc = new int[1];
        BinaryConvReference.Instance.Run(layer, planes, 1, acc, 1, 0, 1);
        int centre = 0;
        for (int ch = 0; ch < 32; ch++) centre += ((layer.Weights[4] >> ch) & 1) == 1 ? 1 : -1;
        Assert.Equal(centre, acc[0]);
    }

    /// <summary>
    /// Streaming use: input rows in a ring of 4 slots (row iy at slot iy % 4), output rows in a ring of 2, one output
    /// row per call. Every row must equal the whole-frame result.
    /// </summary>
    [Theory]
    [InlineData(33, 7, 5, 3, 1, 1, 2, 3)]
    [InlineData(64, 8, 6, 3, 2, 1, 1, 1)]
    [InlineData(65, 9, 4, 3, 2, 0, 4, 0)]
    [InlineData(31, 5, 5, 1, 1, 0, 8, 255)]
    public void RowsComputedFromRingBuffersEqualTheWholeFrame(int c, int h, int w, int k, int stride, int pad, int bits, int zero)
    {
        var rng = new Random(c + h);
        ConvLayer layer = MakeLayer(rng, c, 17, h, w, k, stride, pad, bits, zero);
        uint[] planes = Packing.PackLevels(Enumerable.Range(0, h * w * c).Select(_ => rng.Next(1 << bits)).ToArray(), h, w, c, bits);
        int rowWords = w * bits * ((c + 31) / 32), oh = layer.OutHeight, rowOut = layer.OutWidth * 17;
        foreach (IBinaryConvKernel kernel in Kernels())
        {
            var whole = new int[oh * rowOut];
            kernel.Run(layer, planes, h, whole, oh, 0, oh);
            var ring = new uint[4 * rowWords];
            var accRing = new int[2 * rowOut];
            for (int oy = 0; oy < oh; oy++)
            {
                for (int iy = oy * stride - pad; iy < oy * stride - pad + k; iy++)
                    if (iy >= 0 && iy < h) Array.Copy(planes, iy * rowWords, ring, (iy % 4) * rowWords, rowWords);
                kernel.Run(layer, ring, 4, accRing, 2, oy, oy + 1);
                Assert.Equal(whole.AsSpan(oy * rowOut, rowOut).ToArray(), accRing.AsSpan((oy % 2) * rowOut, rowOut).ToArray());
            }
        }
    }
}
