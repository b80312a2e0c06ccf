using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class StemKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, 16, 3, 1)]
    [InlineData(3, 7, 5, 16, 3, 1)]
    [InlineData(3, 8, 8, 33, 3, 0)]
    [InlineData(1, 6, 9, 8, 3, 2)]
    [InlineData(3, 4, 4, 5, 1, 0)]
    public void StemMatchesFloatConvOfAffinePixelsWithTrueZeroPadding(int cin, int h, int w, int cout, int k, int pad)
    {
        var rng = new Random(h * 100 + w * 10 + cin);
        const int F = 8, shift = 6;
        // Dyadic input affine x = α·u + β (e.g. (u − mean)/std); m = 1 here (it is just another factor of A, B).
        double[] alpha = Enumerable.Range(0, cin).Select(_ => rng.Next(1, 200) / 1024.0).ToArray();
        double[] beta = Enumerable.Range(0, cin).Select(_ => rng.Next(-1024, 1024) / 1024.0).ToArray();
        var layer = new StemLayer
        {
            InChannels = cin, OutChannels = cout, KernelSize = k, PadTop = pad, PadLeft = pad, Height = h, Width = w, Shift = shift,
            PixelScale = alpha.Select(a => (int)(a * (1 << (F + shift)))).ToArray(),
            WeightSumScale = beta.Select(b => (int)(b * (1 << (F + shift)))).ToArray(),
            Weights = SyntheticNetworks.RandomWeights(rng, cout, k, cin),
        };
        byte[] pixels = SyntheticNetworks.RandomPixels(rng, h * w * cin);
        double[] x = pixels.Select((u, i) => alpha[i % cin] * u + beta[i % cin]).ToArray();
        double[] y = FloatOracle.Conv(x, h, w, cin, FloatOracle.UnpackWeights(layer.Weights, cout, k, cin), cout, k, 1, pad, pad, out _, out _);

        var stream = new int[h * w * cout];
        StemConvReference.Run(layer, pixels, stream);
        for (int i = 0; i < stream.Length; i++) Assert.Equal(FloatOracle.RoundHalfUp(y[i] * (1 << F)), stream[i]);
    }
}
