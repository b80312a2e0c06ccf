using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Activation (shifted ReLU or ReLU) followed by the contract's quantizer (<see cref="QuantizerSpec"/>).
/// Forward value is exactly the level a_j; the gradient is the straight-through estimator of a hard clip
/// to [a_0, a_{L−1}] (identity inside, zero outside; Courbariaux et al. 2016, Hubara et al. 2016).
/// </summary>
public sealed class ActivationQuantizer : nn.Module<Tensor, Tensor>
{
    public QuantizerSpec Spec { get; }

    public ActivationQuantizer(string name, QuantizerSpec spec) : base(name)
    {
        Spec = spec;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var _ = NewDisposeScope();
        Tensor y = Spec.Kind == ActivationKind.ShiftedRelu ? TensorOps.ClampMin(x, -1.0) : nn.functional.relu(x);
        if (Spec.FullPrecision) return y.MoveToOuterDisposeScope();
        double lo = Spec.Level(0), hi = Spec.Level(Spec.Levels - 1);
        Tensor q = Quantize(y.detach(), Spec);
        Tensor clipped = TensorOps.Clamp(y, lo, hi);
        // q + (clipped − clipped.detach()): the added term is exactly 0 in the forward pass, so the value is
        // the level bit for bit, while the gradient is that of the clip.
        return TensorOps.Add(q, clipped - clipped.detach()).MoveToOuterDisposeScope();
    }

    /// <summary>Level values a_j for input x (no gradient). The level index is computed in float32 as
    /// floor(x/Δ + (z+1)/2), clamped to [0, L−1].</summary>
    public static Tensor Quantize(Tensor x, QuantizerSpec spec)
    {
        using var _ = NewDisposeScope();
        var j = LevelIndex(x, spec);
        // (2j − z) is an exact small integer in float32, so the level has a single rounding: (2j − z)·(Δ/2).
        return TensorOps.MulInPlace(TensorOps.SubInPlace(TensorOps.Mul(j, 2), spec.ZeroCode), spec.Delta / 2).MoveToOuterDisposeScope();
    }

    /// <summary>Level indices j (as float) for input x.</summary>
    public static Tensor LevelIndex(Tensor x, QuantizerSpec spec)
    {
        using var _ = NewDisposeScope();
        var index = TensorOps.Add(TensorOps.Div(x, spec.Delta), (spec.ZeroCode + 1) / 2.0).floor_();
        return TensorOps.ClampInPlace(index, 0, spec.Levels - 1).MoveToOuterDisposeScope();
    }
}
