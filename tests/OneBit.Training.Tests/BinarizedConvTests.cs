using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace OneBit.Training.Tests;

public class BinarizedConvTests
{
    [Fact]
    public void ForwardWeightIsExactlyMTimesSignW_WithSignOfZeroPlusOne()
    {
        torch.manual_seed(3);
        using var conv = new BinarizedConv2d("c", 5, 7, 3, 1, 1);
        using (no_grad()) { conv.weight[0, 0, 0, 0] = tensor(0f); conv.weight[1, 2, 1, 1] = tensor(-0f); }
        float m = (float)Math.Sqrt(2.0 / (3 * 3 * 5));
        Assert.Equal(Math.Sqrt(2.0 / 45), conv.Scale, 15);
        var w = conv.weight.detach().data<float>().ToArray();
        var b = conv.BinaryWeight().data<float>().ToArray();
        for (int i = 0; i < w.Length; i++) Assert.Equal(w[i] >= 0 ? m : -m, b[i]);
        Assert.Equal(m, b[0]);
    }

    [Fact]
    public void ConvOutputEqualsFloatConvWithSignedWeights_AndGradientIsStraightThrough()
    {
        torch.manual_seed(4);
        using var conv = new BinarizedConv2d("c", 3, 4, 3, 2, 1);
        using var x = randn(2, 3, 9, 9);
        using var y = conv.forward(x);
        using var wb = conv.BinaryWeight();
        using var expected = nn.functional.conv2d(x, wb, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
        Assert.Equal(new long[] { 2, 4, 5, 5 }, y.shape); // Hout = ceil(9/2) with padTop = 1 (CONTRACT.md §4)
        Assert.True(y.eq(expected).all().item<bool>(), "binarized conv must equal conv2d with m·sign(W) bit for bit");

        // Identity STE: ∂L/∂W equals ∂L/∂w of the same conv with w = m·sign(W) as a leaf.
        using var g = randn(y.shape);
        (y * g).sum().backward();
        using var leaf = wb.clone().requires_grad_(true);
        (nn.functional.conv2d(x, leaf, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 }) * g).sum().backward();
        Assert.True(conv.weight.grad!.allclose(leaf.grad!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void PaddingIsTrueZeroOfTheRealInput()
    {
        // Input everywhere at level 0 of a shifted-ReLU quantizer (−1): a corner output sums only the 4 valid
        // taps. Padding with level 0 instead would add 5 more −1 inputs (the classic trap, CONTRACT.md §4).
        torch.manual_seed(5);
        using var conv = new BinarizedConv2d("c", 1, 1, 3, 1, 1);
        using var x = full(1, 1, 4, 4, -1f);
        using var y = conv.forward(x);
        var w = conv.BinaryWeight().data<float>().ToArray(); // [ky*3 + kx]
        float corner = -(w[4] + w[5] + w[7] + w[8]);
        Assert.Equal(corner, y[0, 0, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void QuantizedInputGivesTheExactIntegerAccumulatorTimesMDeltaOverTwo()
    {
        // Oracle: the runtime's acc (CONTRACT.md §4) by integer loops, N = Σ_valid taps Σ_c sign(W)·(2j − z).
        var spec = QuantizerSpec.Create(ActivationKind.ShiftedRelu, 2, null); // z = 3, Δ = 2/3
        torch.manual_seed(8);
        const int cin = 6, cout = 5, hw = 7;
        using var conv = new BinarizedConv2d("c", cin, cout, 3, 2, 1, spec);
        var rnd = new Random(8);
        var j = new int[cin * hw * hw];
        for (int i = 0; i < j.Length; i++) j[i] = rnd.Next(4);
        using var levels = tensor(j.Select(v => (float)spec.Level(v)).ToArray(), new long[] { 1, cin, hw, hw });
        using var y = conv.forward(levels);
        var sign = conv.BinaryWeight().data<float>().Select(v => v > 0 ? 1 : -1).ToArray();
        int ho = (hw + 1) / 2;
        Assert.Equal(new long[] { 1, cout, ho, ho }, y.shape);
        var got = y.data<float>().ToArray();
        for (int o = 0; o < cout; o++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < ho; ox++)
                {
                    long n = 0;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            int iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
                            if (iy < 0 || iy >= hw || ix < 0 || ix >= hw) continue;
                            for (int c = 0; c < cin; c++) n += sign[((o * cin + c) * 3 + ky) * 3 + kx] * (2 * j[(c * hw + iy) * hw + ix] - spec.ZeroCode);
                        }
                    float expected = (float)(n * (conv.Scale * spec.Delta / 2));
                    float actual = got[(o * ho + oy) * ho + ox];
                    if (n == 0) Assert.Equal(0f, actual); // exact ties stay exact
                    Assert.Equal(expected, actual, 5);
                }
    }

    [Fact]
    public void ExactPathHasTheGradientsOfTheFloatConv()
    {
        var spec = QuantizerSpec.Create(ActivationKind.ShiftedRelu, 2, null);
        torch.manual_seed(9);
        using var exact = new BinarizedConv2d("e", 4, 3, 3, 1, 1, spec);
        using var plain = new BinarizedConv2d("p", 4, 3, 3, 1, 1);
        using (no_grad()) plain.weight.copy_(exact.weight);
        using var lv = ActivationQuantizer.Quantize(randn(2, 4, 5, 5), spec);
        using var a1 = lv.clone().requires_grad_(true);
        using var a2 = lv.clone().requires_grad_(true);
        using var g = randn(2, 3, 5, 5);
        (exact.forward(a1) * g).sum().backward();
        (plain.forward(a2) * g).sum().backward();
        Assert.True(exact.weight.grad!.allclose(plain.weight.grad!, rtol: 1e-4, atol: 1e-5));
        Assert.True(a1.grad!.allclose(a2.grad!, rtol: 1e-4, atol: 1e-5));
    }
}
