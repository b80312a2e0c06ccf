using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// The network family of McDonnell et al. (2018, 2019): wide ResNet of depth 6n+2 and width k with 1-bit
/// weights everywhere (stem and head included), no biases, no projection convs.
/// Input: raw pixels u ∈ 0…255 as float, NCHW. Stem: per-channel affine x = (u − mean)/std, then binary
/// 3×3 conv (Cin → 16k). Three stages of n blocks (16k, 32k, 64k channels; stages 2 and 3 start with
/// stride 2). Head: act → binary 1×1 conv (64k → classes) [→ BN for BN models] → ×1/T → global average pool.
/// </summary>
public sealed class OneBitResNet : nn.Module<Tensor, Tensor>
{
    public NetworkConfig Config { get; }
    public readonly BinarizedConv2d stem;
    public readonly TorchSharp.Modules.ModuleList<ResidualBlock> blocks;
    public readonly PreActivation head_act;
    public readonly BinarizedConv2d head_conv;
    public readonly ScaleFreeBatchNorm? head_bn;
    /// <summary>log T (a parameter when the temperature is learned, otherwise a buffer).</summary>
    public readonly Tensor log_temperature;

    readonly Tensor _mean, _invStd;

    public OneBitResNet(NetworkConfig config) : base("OneBitResNet")
    {
        config.Validate();
        Config = config;
        var spec = config.Quantizer();
        bool bn = config.Family == NetworkFamily.ResNetBatchNorm;
        int[] ch = config.StageChannels;

        stem = new BinarizedConv2d("stem", config.InputChannels, ch[0], 3, 1, 1);
        var list = new List<ResidualBlock>();
        int cin = ch[0];
        for (int s = 0; s < 3; s++)
            for (int b = 0; b < config.BlocksPerStage; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                list.Add(new ResidualBlock($"s{s + 1}b{b}", cin, ch[s], stride, spec, bn, config.BatchNormAffine, config.LearnedStep, config.BranchGain, config.ChannelOffsets));
                cin = ch[s];
            }
        blocks = nn.ModuleList(list.ToArray());
        head_act = new PreActivation("head_act", cin, spec, bn, config.BatchNormAffine, config.LearnedStep, config.ChannelOffsets);
        head_conv = new BinarizedConv2d("head_conv", cin, config.Classes, 1, 1, 0, spec);
        if (bn) head_bn = new ScaleFreeBatchNorm("head_bn", config.Classes, PreActivation.BatchNormEps);

        var logT = tensor(new[] { (float)Math.Log(config.Temperature) });
        log_temperature = config.LearnTemperature ? new TorchSharp.Modules.Parameter(logT) : logT;
        if (!config.LearnTemperature) register_buffer("log_temperature", logT);

        _mean = tensor(config.Mean.Select(v => (float)v).ToArray()).reshape(1, -1, 1, 1);
        _invStd = tensor(config.Std.Select(v => (float)(1.0 / v)).ToArray()).reshape(1, -1, 1, 1);
        RegisterComponents();
    }

    public double Temperature => Math.Exp(log_temperature.item<float>());

    public IEnumerable<BinarizedConv2d> Convs()
    {
        yield return stem;
        foreach (var b in blocks) { yield return b.conv1; yield return b.conv2; }
        yield return head_conv;
    }

    /// <summary>Latent conv weights: the only tensors weight decay applies to.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> LatentWeights() => Convs().Select(c => c.weight);

    public long ParameterCount => Convs().Sum(c => c.weight.numel());

    public IEnumerable<PreActivation> PreActivations()
    {
        foreach (var b in blocks) { yield return b.act1; yield return b.act2; }
        yield return head_act;
    }

    public override Tensor forward(Tensor pixels)
    {
        using var _ = NewDisposeScope();
        var x = pixels.sub(_mean).mul_(_invStd);
        var s = stem.forward(x);
        foreach (var b in blocks) s = b.forward(s);
        var h = head_act.Rescale(head_conv.forward(head_act.forward(s)));
        if (head_bn is not null) h = head_bn.forward(h);
        h = h.mul(log_temperature.neg().exp());
        return h.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();
    }
}
