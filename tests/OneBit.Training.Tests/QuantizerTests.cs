using static TorchSharp.torch;
using Xunit;

namespace OneBit.Training.Tests;

public class QuantizerTests
{
    [Theory]
    [InlineData(1, 1, new[] { -1.0, 1.0 })]
    [InlineData(2, 3, new[] { -1.0, -1.0 / 3, 1.0 / 3, 1.0 })]
    [InlineData(2, 2, new[] { -1.0, 0.0, 1.0, 2.0 })]
    public void ShiftedReluLevelsMatchContract(int bits, int z, double[] levels)
    {
        var s = QuantizerSpec.Create(ActivationKind.ShiftedRelu, bits, z);
        Assert.Equal(2.0 / z, s.Delta, 12);
        for (int j = 0; j < levels.Length; j++) Assert.Equal(levels[j], s.Level(j), 12);
    }

    [Fact]
    public void DefaultZeroCodeSpansMinusOneToOne()
    {
        foreach (int b in new[] { 1, 2, 4, 8 })
        {
            var s = QuantizerSpec.Create(ActivationKind.ShiftedRelu, b, null);
            Assert.Equal((1 << b) - 1, s.ZeroCode);
            Assert.Equal(-1.0, s.Level(0), 12);
            Assert.Equal(1.0, s.Level(s.Levels - 1), 12);
        }
        var r = QuantizerSpec.Create(ActivationKind.Relu, 2, null, reluClip: 3);
        Assert.Equal(0, r.ZeroCode);
        Assert.Equal(new[] { 0.0, 1, 2, 3 }, Enumerable.Range(0, 4).Select(r.Level));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(2, 2)]
    [InlineData(4, 15)]
    [InlineData(8, 255)]
    public void TensorQuantizerMatchesScalarFormula_RoundHalfUpAtThresholds(int bits, int z)
    {
        var s = QuantizerSpec.Create(ActivationKind.ShiftedRelu, bits, z);
        var rnd = new Random(bits * 100 + z);
        var xs = new List<float>();
        for (int i = 0; i < 2000; i++) xs.Add((float)(rnd.NextDouble() * 5 - 2.5));
        // Thresholds that are exact in float32 (Δ a power of two) must round up: x = t_k gives j = k.
        for (int k = 1; k < s.Levels; k++) { xs.Add((float)s.Threshold(k)); }
        using var x = tensor(xs.ToArray());
        var j = ActivationQuantizer.LevelIndex(x, s).data<float>().ToArray();
        var q = ActivationQuantizer.Quantize(x, s).data<float>().ToArray();
        for (int i = 0; i < xs.Count; i++)
        {
            int expected = s.LevelIndex(xs[i]);
            // Float32 division can differ from the double formula only within one ulp of a threshold.
            bool nearThreshold = Enumerable.Range(1, s.Levels - 1).Any(k => Math.Abs(xs[i] - s.Threshold(k)) < 1e-6);
            if (!nearThreshold) Assert.Equal(expected, (int)j[i]);
            Assert.True(Math.Abs(s.Level((int)j[i]) - q[i]) <= 1e-6 * Math.Max(1, Math.Abs(q[i])), $"level {j[i]}: {q[i]} vs {s.Level((int)j[i])}");
        }
        if (bits == 2 && z == 2) // Δ = 1: thresholds −0.5, 0.5, 1.5 are exact
        {
            using var t = tensor(new[] { -0.5f, 0.5f, 1.5f, 0.4999f });
            Assert.Equal(new[] { 1f, 2f, 3f, 1f }, ActivationQuantizer.LevelIndex(t, s).data<float>().ToArray());
        }
    }

    [Fact]
    public void ForwardIsTheLevelAndGradientIsClippedStraightThrough()
    {
        var s = QuantizerSpec.Create(ActivationKind.ShiftedRelu, 2, 3);
        using var q = new ActivationQuantizer("q", s);
        using var x = tensor(new[] { -3f, -1f, -0.5f, 0.1f, 0.9f, 1.5f }).requires_grad_(true);
        using var y = q.forward(x);
        var expected = new[] { -1.0, -1, -1.0 / 3, 1.0 / 3, 1, 1 };
        var got = y.detach().data<float>().ToArray();
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 6);
        y.sum().backward();
        Assert.Equal(new[] { 0f, 1f, 1f, 1f, 1f, 0f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void BinaryShiftedReluIsSignWithZeroMappedToPlusOne()
    {
        var s = QuantizerSpec.Create(ActivationKind.ShiftedRelu, 1, null);
        using var x = tensor(new[] { -0.3f, 0f, 0.2f, -5f });
        Assert.Equal(new[] { -1f, 1f, 1f, -1f }, ActivationQuantizer.Quantize(x, s).data<float>().ToArray());
    }
}
