using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// What precedes every binary conv: for shifted-ReLU networks the quantized sReLU alone; for BN networks a
/// batch norm without learned scale/offset (McDonnell 2018 §2.3: "we do not learn the scale and offset
/// parameters"), then the quantized ReLU.
/// <para>Optionally (<see cref="NetworkConfig.BatchNormAffine"/>) a learned per-channel scale γ ≥ <see cref="MinScale"/>
/// and offset β follow the batch norm. McDonnell turned them off for wide networks that overfit; a device-size
/// network underfits, and a quantizer with learned thresholds is what it lacks. The BN output feeds only the ReLU and
/// quantizer (never the residual sum), and γ > 0, so γ·(x − μ)/σ + β = (x − μ')/σ' with σ' = σ/γ, μ' = μ − σ'·β: the
/// export folds them into the statistics (<see cref="FoldedStatistics"/>) and the device still compares against
/// per-channel thresholds.</para>
/// </summary>
public sealed class PreActivation : nn.Module<Tensor, Tensor>
{
    public readonly ActivationQuantizer quant;
    public readonly ScaleFreeBatchNorm? bn;
    /// <summary>Learned γ and β of the BN family with <see cref="NetworkConfig.BatchNormAffine"/>; else null.</summary>
    public readonly TorchSharp.Modules.Parameter? gamma, beta;
    /// <summary>Shifted-ReLU family with <see cref="NetworkConfig.LearnedStep"/>: the quantizer's learned step; else null.</summary>
    public readonly LearnedStep? step;
    /// <summary>Shifted-ReLU family with <see cref="NetworkConfig.ChannelOffsets"/>: learned per-channel offsets added to the input; else null.</summary>
    public readonly TorchSharp.Modules.Parameter? offset;
    /// <summary>Set by <see cref="DataDependentStart"/>: the next forward pass starts <see cref="step"/> from its input.</summary>
    internal bool StartStepOnNextForward;
    public const double BatchNormEps = 1e-5;
    /// <summary>γ is clamped here: a positive scale keeps the fold into thresholds order-preserving.</summary>
    public const double MinScale = 0.05;

    public PreActivation(string name, int channels, QuantizerSpec spec, bool batchNorm, bool affine = false, bool learnedStep = false,
        bool channelOffsets = false) : base(name)
    {
        quant = new ActivationQuantizer("quant", spec);
        if (learnedStep) step = new LearnedStep("step");
        if (channelOffsets && !batchNorm) offset = new TorchSharp.Modules.Parameter(zeros(channels));
        if (batchNorm) bn = new ScaleFreeBatchNorm("bn", channels, BatchNormEps);
        if (batchNorm && affine)
        {
            gamma = new TorchSharp.Modules.Parameter(ones(channels));
            beta = new TorchSharp.Modules.Parameter(zeros(channels));
        }
        RegisterComponents();
    }

    public QuantizerSpec Spec => quant.Spec;

    /// <summary>The activation's levels a_j (with the straight-through gradient). With a learned step they stand for
    /// s·a_j: the consumer multiplies its conv's output by s (<see cref="Rescale"/>), since the conv is linear.</summary>
    public override Tensor forward(Tensor x)
    {
        if (offset is not null)
        {
            using var scope = NewDisposeScope();
            return Quantize(TensorOps.Add(x, offset.reshape(1, -1, 1, 1))).MoveToOuterDisposeScope();
        }
        return Quantize(x);
    }

    Tensor Quantize(Tensor x)
    {
        if (step is not null)
        {
            if (StartStepOnNextForward) { step.StartFrom(x, Spec); StartStepOnNextForward = false; }
            using var scope = NewDisposeScope();
            return quant.forward(x.div(step.Value())).MoveToOuterDisposeScope();
        }
        if (bn is null) return quant.forward(x);
        using var _ = NewDisposeScope();
        var y = bn.forward(x);
        if (gamma is not null && beta is not null)
            y = TensorOps.Add(y.mul(TensorOps.ClampMin(gamma, MinScale).reshape(1, -1, 1, 1)), beta.reshape(1, -1, 1, 1));
        return quant.forward(y).MoveToOuterDisposeScope();
    }

    /// <summary>y·s for the output y of the conv this activation feeds (y itself without a learned step).</summary>
    public Tensor Rescale(Tensor y) => step is null ? y : y.mul(step.Value());

    /// <summary>Mean and variance whose plain batch norm equals this one's batch norm with γ and β (see the class
    /// remarks); the running statistics themselves when there is no γ, β.</summary>
    public (float[] Mean, float[] Var) FoldedStatistics()
    {
        if (bn is null) throw new InvalidOperationException("no batch norm");
        var (mean, var) = bn.Statistics();
        if (gamma is null || beta is null) return (mean, var);
        float[] g = gamma.detach().data<float>().ToArray(), b = beta.detach().data<float>().ToArray();
        for (int c = 0; c < mean.Length; c++)
        {
            double sigma = Math.Sqrt(var[c] + BatchNormEps) / Math.Max(g[c], MinScale);
            mean[c] = (float)(mean[c] - sigma * b[c]);
            var[c] = (float)(sigma * sigma - BatchNormEps);
        }
        return (mean, var);
    }
}
