using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// The learned step s > 0 of one shifted-ReLU quantizer (LSQ, Esser et al. 2020, "Learned Step Size Quantization"):
/// the quantizer reads x/s and its level a_j stands for s·a_j. Without batch norm nothing else sets a quantizer's
/// input scale, and the residual stream grows with depth, so fixed levels in [−1, 1] saturate (models/README.md);
/// a per-layer s follows the scale at no run-time cost (the converter folds it into the layer's one threshold row and
/// the following multiplier).
/// <para>Stored as s = c·u with the parameter u and a constant c = (N·Q)^(−1/4) (N activations per image, Q positive
/// levels): plain SGD on u then moves s with LSQ's gradient scale 1/√(N·Q), keeping the step's updates commensurate
/// with the weights' whatever the layer size. Started from the data (<see cref="StartFrom"/>).</para>
/// </summary>
public sealed class LearnedStep : nn.Module
{
    /// <summary>u; s = c·u.</summary>
    public readonly TorchSharp.Modules.Parameter unscaled;
    /// <summary>c, a buffer so that a resumed run keeps it.</summary>
    readonly Tensor gradient_scale;
    const double MinStep = 1e-4;

    public LearnedStep(string name) : base(name)
    {
        unscaled = new TorchSharp.Modules.Parameter(ones(1));
        gradient_scale = ones(1);
        register_buffer("gradient_scale", gradient_scale);
        RegisterComponents();
    }

    /// <summary>s as a tensor with its gradient path (shape [1]).</summary>
    public Tensor Value() => TensorOps.ClampMin(unscaled.mul(gradient_scale), MinStep);

    /// <summary>s as the export stores it: the float32 value the forward pass uses.</summary>
    public double Current()
    {
        using var _ = NewDisposeScope();
        using var __ = no_grad();
        return Value().item<float>();
    }

    /// <summary>Ratio of s to the input's root mean square for b bits: about the top level of the MSE-optimal uniform
    /// quantizer of a unit Gaussian with 2^b levels (Max 1960: ±0.80 at 1 bit, ±1.51 at 2, ≈ 2.5 at 4), since the
    /// levels span [−s, s].</summary>
    public static double StartRatio(int bits) => bits switch { 1 => 0.80, 2 => 1.51, 4 => 2.5, _ => 4.0 };

    /// <summary>Data-dependent start: s = <see cref="StartRatio"/>·rms(x) over the batch x, and c from x's size.</summary>
    public void StartFrom(Tensor x, QuantizerSpec spec)
    {
        using var _ = NewDisposeScope();
        using var __ = no_grad();
        double rms = Math.Sqrt(x.square().mean().item<float>());
        if (!(rms > 0)) rms = 1;
        long perImage = x.numel() / x.shape[0];
        int positiveLevels = Math.Max(1, spec.Levels / 2);
        double c = Math.Pow((double)perImage * positiveLevels, -0.25);
        double s = StartRatio(spec.Bits) * rms;
        using Scalar cs = c.ToScalar(), us = (s / c).ToScalar();   // kept alive until libtorch has read them (TensorOps)
        gradient_scale.fill_(cs);
        unscaled.fill_(us);
    }
}
