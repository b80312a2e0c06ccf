using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class ConvKernelTests
{
    /// <summary>Kernels under test; optimized kernels join this list and must match the float oracle too.</summary>
    public static IEnumerable<IBinaryConvKernel> Kernels() => new IBinaryConvKernel[] { BinaryConvReference.Instance, new OneBit.HostKernels.PopcountConvKernel() };

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
            kernel.Run(layer, planes, acc);
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
        BinaryConvReference.Instance.Run(layer, planes, acc);
        int centre = 0;
        for (int ch = 0; ch < 32; ch++) centre += ((layer.Weights[4] >> ch) & 1) == 1 ? 1 : -1;
        Assert.Equal(centre, acc[0]);
    }
}
