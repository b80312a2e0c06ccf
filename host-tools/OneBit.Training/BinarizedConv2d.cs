using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Convolution with 1-bit weights w = m·sign(W) (McDonnell 2018 §2.1): W are the full-precision latent
/// weights the optimizer updates; m = sqrt(2/(kh·kw·Cin)) is fixed per layer (the He-init standard
/// deviation), never learned. sign(0) = +1 (bit value 1, CONTRACT.md §1). The gradient reaches W through
/// the identity straight-through estimator (§2.1: "we use the gradient with respect to the sign-ed weights
/// to update the full-precision weights"). No bias. Zero padding of the (real-valued) input, as the
/// contract's border correction reproduces.
/// </summary>
public sealed class BinarizedConv2d : nn.Module<Tensor, Tensor>
{
    public readonly int InChannels, OutChannels, Kernel, Stride, Padding;
    public readonly double Scale;
    public readonly TorchSharp.Modules.Parameter weight;

    /// <summary>Quantizer whose levels feed this conv (null or full precision: real-valued input).</summary>
    public readonly QuantizerSpec? InputQuantizer;

    static BinarizedConv2d() => LibTorchBackend.EnsureApplied();

    public BinarizedConv2d(string name, int inChannels, int outChannels, int kernel, int stride, int padding, QuantizerSpec? inputQuantizer = null) : base(name)
    {
        InChannels = inChannels; OutChannels = outChannels; Kernel = kernel; Stride = stride; Padding = padding;
        InputQuantizer = inputQuantizer is { FullPrecision: false } ? inputQuantizer : null;
        Scale = Math.Sqrt(2.0 / (kernel * kernel * inChannels));
        // Latent weights start at He-normal with the same std as m, so |W| and m·sign(W) agree in scale.
        weight = new TorchSharp.Modules.Parameter(TensorOps.MulInPlace(randn(outChannels, inChannels, kernel, kernel), Scale));
        RegisterComponents();
    }

    /// <summary>m·sign(W) with sign(0) = +1 (no gradient).</summary>
    public Tensor BinaryWeight()
    {
        using var _ = NewDisposeScope();
        // (2·[W ≥ 0] − 1)·m in float32: both products are exact, so the result is ±float32(m) exactly.
        return TensorOps.MulInPlace(TensorOps.Sign(weight.detach()), Scale).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var _ = NewDisposeScope();
        var strides = new long[] { Stride, Stride };
        var padding = new long[] { Padding, Padding };
        if (InputQuantizer is not { } q)
        {
            // The added term W − W.detach() is exactly 0, so the forward weight is m·sign(W) bit for bit and
            // ∂L/∂W = ∂L/∂w (identity STE).
            var w = TensorOps.Add(BinaryWeight(), weight - weight.detach());
            return nn.functional.conv2d(x, w, strides: strides, padding: padding).MoveToOuterDisposeScope();
        }
        // Quantized input a = (Δ/2)·c with integer codes c = 2j − z: compute the integer accumulator
        // N = Σ sign(W)·c exactly (float32 sums of integers below 2^24 are exact in any order) and return
        // N·(m·Δ/2), the real value of the runtime's acc (CONTRACT.md §4). A float conv of the levels would
        // round, and the next quantizer's threshold at 0 (present whenever z is odd) would then split exact
        // ties (N = 0) at random, unlike the integer runtime.
        // Gradients equal those of conv(a, m·sign(W)): ∂c/∂a = 2/Δ, ∂s/∂W = 1/m compensate the factor m·Δ/2.
        double half = q.Delta / 2;
        var scaled = TensorOps.Div(x, half);
        var codes = TensorOps.Add(scaled.detach().round(), scaled - scaled.detach());
        var signs = TensorOps.Add(TensorOps.Sign(weight.detach()), TensorOps.Div(weight - weight.detach(), Scale));
        var acc = nn.functional.conv2d(codes, signs, strides: strides, padding: padding);
        return TensorOps.Mul(acc, Scale * half).MoveToOuterDisposeScope();
    }
}
