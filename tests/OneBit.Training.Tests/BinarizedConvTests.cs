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
}
