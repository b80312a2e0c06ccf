using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class QuantizeKernelTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (int c in KernelSweeps.ChannelCounts)
            foreach (int bits in new[] { 1, 2, 4, 8 })
                yield return new object[] { c, bits };
    }

    /// <summary>
    /// Folds a real affine input x = α·X + β and the float quantizer into thresholds by the converter rule
    /// of CONTRACT.md §3 and checks every level against the float quantizer. Dyadic α, β, Δ keep it exact.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ThresholdsReproduceTheFloatQuantizer(int c, int bits)
    {
        var rng = new Random(c * 10 + bits);
        int L = 1 << bits, h = 3, w = 5;
        bool shiftedRelu = bits % 2 == 0;
        int zero = shiftedRelu ? L - 1 : 0;          // z = 2^b − 1: levels span [−1, 1]; z = 0: ReLU levels
        double delta = shiftedRelu ? 2.0 / zero : 0.125;
        if (shiftedRelu && zero != 1 && zero != 3 && zero != 15 && zero != 255) throw new InvalidOperationException();
        // Δ = 2/z is not dyadic for z = 3, 15, 255; compare on the scaled domain x' = x/Δ instead, which is.
        double[] alpha = Enumerable.Range(0, c).Select(_ => (rng.Next(1, 64) * (rng.Next(3) == 0 ? -1 : 1)) / 256.0).ToArray();
        double[] beta = Enumerable.Range(0, c).Select(_ => rng.Next(-512, 512) / 64.0).ToArray();

        var layer = new QuantizeLayer { Source = 0, Bits = bits, ZeroCode = zero, Rows = c, Thresholds = new int[c * (L - 1)], Signs = new int[c], Height = h, Width = w, Channels = c };
        for (int ch = 0; ch < c; ch++)
        {
            layer.Signs[ch] = alpha[ch] > 0 ? 1 : -1;
            for (int k = 1; k < L; k++)
            {
                double tScaled = k - (zero + 1) / 2.0;   // t_k / Δ
                layer.Thresholds[ch * (L - 1) + k - 1] = (int)Math.Ceiling((tScaled - beta[ch]) / Math.Abs(alpha[ch]));
            }
        }
        int[] input = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(-2000, 2000)).ToArray();
        var planes = new uint[h * w * bits * ((c + 31) / 32) + 3];
        Array.Fill(planes, 0xDEADBEEFu);
        QuantizeReference.Run(layer, input, planes);

        int[] levels = Packing.UnpackLevels(planes, h, w, c, bits);
        for (int i = 0; i < input.Length; i++)
        {
            int ch = i % c;
            double xScaled = alpha[ch] * input[i] + beta[ch];         // x / Δ
            Assert.Equal(FloatOracle.Quantize(xScaled, 1.0, zero, bits), levels[i]);
        }
        Assert.True(Packing.PaddingBitsZero(planes, h * w * bits, c), "padding bits must be zero");
        Assert.Equal(0xDEADBEEFu, planes[^1]);
        _ = delta;
    }

    [Fact]
    public void SharedRowAppliesToEveryChannelAndComparisonIsGreaterOrEqual()
    {
        var layer = new QuantizeLayer { Bits = 2, ZeroCode = 3, Rows = 1, Thresholds = new[] { -10, 0, 10 }, Signs = new[] { 1 }, Height = 1, Width = 1, Channels = 5 };
        var planes = new uint[2];
        QuantizeReference.Run(layer, new[] { -11, -10, 0, 9, 10 }, planes);
        Assert.Equal(new[] { 0, 1, 2, 2, 3 }, Packing.UnpackLevels(planes, 1, 1, 5, 2));
    }

    /// <summary>Affine mode: j = clamp(floor((M·X + B) / 2^shift), 0, L−1), checked against exact double arithmetic.</summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(33, 4)]
    [InlineData(65, 8)]
    [InlineData(129, 8)]
    public void AffineModeIsAClampedFloorOfTheFixedPointMap(int c, int bits)
    {
        var rng = new Random(c + bits);
        int per = (1 << bits) - 1, h = 2, w = 3, shift = 18;
        var layer = new QuantizeLayer
        {
            Mode = QuantizeLayer.AffineMode, Bits = bits, ZeroCode = 0, Rows = c, Shift = shift, Height = h, Width = w, Channels = c,
            Multipliers = Enumerable.Range(0, c).Select(_ => rng.Next(-per, per + 1)).ToArray(),
            Offsets = Enumerable.Range(0, c).Select(_ => (long)rng.Next(0, per + 1) << shift).ToArray(),
        };
        int[] input = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(-1 << 18, 1 << 18)).ToArray();
        var planes = new uint[h * w * bits * ((c + 31) / 32)];
        QuantizeReference.Run(layer, input, planes);
        int[] levels = Packing.UnpackLevels(planes, h, w, c, bits);
        var seen = new HashSet<int>();
        for (int i = 0; i < input.Length; i++)
        {
            int ch = i % c;
            double exact = Math.Floor(((double)layer.Multipliers[ch] * input[i] + layer.Offsets[ch]) / (1 << shift));
            Assert.Equal((int)Math.Clamp(exact, 0, per), levels[i]);
            seen.Add(levels[i]);
        }
        Assert.True(seen.Count > 2, "the sweep should reach several levels");
        Assert.True(Packing.PaddingBitsZero(planes, h * w * bits, c), "padding bits must be zero");
    }
}
