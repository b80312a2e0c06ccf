using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// What precedes every binary conv: for shifted-ReLU networks the quantized sReLU alone; for BN networks a
/// batch norm without learned scale/offset (McDonnell 2018 §2.3: "we do not learn the scale and offset
/// parameters"), then the quantized ReLU.
/// </summary>
public sealed class PreActivation : nn.Module<Tensor, Tensor>
{
    public readonly ActivationQuantizer quant;
    public readonly ScaleFreeBatchNorm? bn;
    public const double BatchNormEps = 1e-5;

    public PreActivation(string name, int channels, QuantizerSpec spec, bool batchNorm) : base(name)
    {
        quant = new ActivationQuantizer("quant", spec);
        if (batchNorm) bn = new ScaleFreeBatchNorm("bn", channels, BatchNormEps);
        RegisterComponents();
    }

    public QuantizerSpec Spec => quant.Spec;

    public override Tensor forward(Tensor x)
    {
        if (bn is null) return quant.forward(x);
        using var _ = NewDisposeScope();
        return quant.forward(bn.forward(x)).MoveToOuterDisposeScope();
    }
}
