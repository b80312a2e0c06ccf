using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class ResidualKernelTests
{
    private static ResidualLayer Layer(int shortcut, int pad, int h, int w, int cin, int cout, int[] m, int shift)
    {
        int s = shortcut == ResidualLayer.Identity ? 1 : 2;
        return new ResidualLayer
        {
            Shortcut = shortcut, PadTop = pad, PadLeft = pad, Shift = shift, Multipliers = m,
            InHeight = h, InWidth = w, InChannels = cin, OutHeight = (h + s - 1) / s, OutWidth = (w + s - 1) / s, OutChannels = cout,
        };
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 2)]
    [InlineData(7, 7, 1, 16, 32)]
    [InlineData(8, 8, 0, 16, 32)]
    [InlineData(5, 6, 1, 33, 65)]
    [InlineData(4, 3, 2, 3, 3)]
    public void AveragePoolShortcutDividesByValidCellsAndAppendsZeroChannels(int h, int w, int pad, int cin, int cout)
    {
        var rng = new Random(h * w + cin);
        ResidualLayer layer = Layer(ResidualLayer.AvgPool3x3Stride2, pad, h, w, cin, cout, new[] { 1 }, 0);
        int[] s = Enumerable.Range(0, h * w * cin).Select(_ => rng.Next(-100000, 100000)).ToArray();
        double[] avg = FloatOracle.AvgPool3x3S2(s.Select(v => (double)v).ToArray(), h, w, cin, pad, pad, out int oh, out int ow);
        var output = new int[oh * ow * cout];
        ResidualReference.Run(layer, s, new int[output.Length], output);   // acc = 0: the shortcut alone
        for (int px = 0; px < oh * ow; px++)
            for (int c = 0; c < cout; c++)
                Assert.Equal(c < cin ? FloatOracle.RoundHalfUp(avg[px * cin + c]) : 0, output[px * cout + c]);
    }

    [Fact]
    public void CornerEdgeAndInteriorDivisorsAre4_6_9()
    {
        // 5×5 of ones·36 with PyTorch padding 1: output (0,0) averages 4 cells, (0,1) 6, (1,1) 9; all give 36.
        // A tie case pins the rounding: sum 3 over 2·... use a single 2×2 input: window at (0,0) sees 4 cells.
        ResidualLayer layer = Layer(ResidualLayer.AvgPool3x3Stride2, 1, 2, 2, 1, 1, new[] { 1 }, 0);
        var output = new int[1];
        ResidualReference.Run(layer, new[] { 1, 0, 0, 1 }, new int[1], output);      // 2/4 = 0.5 rounds half up to 1
        Assert.Equal(1, output[0]);
        ResidualReference.Run(layer, new[] { -1, 0, 0, -1 }, new int[1], output);    // −0.5 rounds half up to 0
        Assert.Equal(0, output[0]);
        ResidualReference.Run(layer, new[] { -3, 0, 0, 0 }, new int[1], output);     // −0.75 → −1
        Assert.Equal(-1, output[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResidualAddRequantizesAccumulatorWithRoundHalfUp(bool perChannel)
    {
        var rng = new Random(perChannel ? 1 : 2);
        int h = 3, w = 3, c = 33, shift = 7;
        int[] m = perChannel ? Enumerable.Range(0, c).Select(_ => rng.Next(-5000, 5000)).ToArray() : new[] { 3001 };
        ResidualLayer layer = Layer(ResidualLayer.Identity, 0, h, w, c, c, m, shift);
        int[] stream = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(-100000, 100000)).ToArray();
        int[] acc = Enumerable.Range(0, h * w * c).Select(_ => rng.Next(-5000, 5000)).ToArray();
        var output = new int[stream.Length];
        ResidualReference.Run(layer, stream, acc, output);
        for (int i = 0; i < output.Length; i++)
        {
            double add = (double)acc[i] * m[perChannel ? i % c : 0] / (1 << shift);
            Assert.Equal(stream[i] + FloatOracle.RoundHalfUp(add), output[i]);
        }
    }
}
