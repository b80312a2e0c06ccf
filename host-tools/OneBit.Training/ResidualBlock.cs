using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Pre-activation residual block (He et al. 2016, as used by McDonnell 2018/2019):
/// S' = shortcut(S) + g·conv2(act2(conv1(act1(S)))), act = [BN →] (s)ReLU → quantize, g = 1 unless learned
/// (<see cref="NetworkConfig.BranchGain"/>). conv1 carries the
/// stride (padding 1 on all sides, i.e. padTop = padLeft = 1 in CONTRACT.md §4).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    public readonly PreActivation act1, act2;
    public readonly BinarizedConv2d conv1, conv2;
    public readonly DownsampleShortcut shortcut;
    /// <summary>Learned scalar gain on the residual branch (<see cref="NetworkConfig.BranchGain"/>); null = none.</summary>
    public readonly TorchSharp.Modules.Parameter? gain;
    public readonly int InChannels, OutChannels, Stride;

    public ResidualBlock(string name, int inChannels, int outChannels, int stride, QuantizerSpec spec, bool batchNorm, bool affine = false,
        bool learnedStep = false, double? branchGain = null, bool channelOffsets = false) : base(name)
    {
        InChannels = inChannels; OutChannels = outChannels; Stride = stride;
        act1 = new PreActivation("act1", inChannels, spec, batchNorm, affine, learnedStep, channelOffsets);
        conv1 = new BinarizedConv2d("conv1", inChannels, outChannels, 3, stride, 1, spec);
        act2 = new PreActivation("act2", outChannels, spec, batchNorm, affine, learnedStep, channelOffsets);
        if (branchGain is double g) gain = new TorchSharp.Modules.Parameter(tensor(new[] { (float)g }));
        conv2 = new BinarizedConv2d("conv2", outChannels, outChannels, 3, 1, 1, spec);
        shortcut = new DownsampleShortcut("shortcut", inChannels, outChannels, stride);
        RegisterComponents();
    }

    public bool Downsamples => Stride != 1 || OutChannels != InChannels;

    public override Tensor forward(Tensor s)
    {
        using var _ = NewDisposeScope();
        var r = act2.Rescale(conv2.forward(act2.forward(act1.Rescale(conv1.forward(act1.forward(s))))));
        if (gain is not null) r = r.mul(gain);
        return TensorOps.Add(shortcut.forward(s), r).MoveToOuterDisposeScope();
    }
}
