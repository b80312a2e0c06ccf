namespace OneBit.Training;

public enum NetworkFamily
{
    /// <summary>McDonnell et al. 2019: no batch norm, shifted ReLU max(x, −1) before every conv.</summary>
    ResNetSRelu,
    /// <summary>McDonnell et al. 2018: pre-activation BN without learned scale/offset, ReLU.</summary>
    ResNetBatchNorm,
}

/// <summary>Architecture of a 1-bit-weight wide ResNet (depth 6n+2, width k: stages of 16k/32k/64k channels, or
/// c·k/2c·k/4c·k with a base other than the paper's c = 16).</summary>
public sealed record NetworkConfig
{
    public NetworkFamily Family { get; init; } = NetworkFamily.ResNetSRelu;
    /// <summary>D = 6n + 2 (n blocks per stage, two convs each, plus stem and head).</summary>
    public int Depth { get; init; } = 20;
    public int Width { get; init; } = 1;
    /// <summary>First-stage channels at width 1 (the paper's 16). Smaller bases shrink a device model's cost
    /// below depth 8's floor: MACs scale with its square.</summary>
    public int BaseChannels { get; init; } = 16;
    /// <summary>Activation bits b ∈ {1, 2, 4, 8}; 0 = full precision (no quantization).</summary>
    public int Bits { get; init; } = 2;
    /// <summary>Zero code z (CONTRACT.md §2). Null = family default: 2^b − 1 for shifted ReLU (levels span
    /// [−1, 1], Δ = 2/z), 0 for ReLU.</summary>
    public int? ZeroCode { get; init; }
    /// <summary>ReLU (BN family) quantizers: top level (L−1)·Δ. BN makes inputs ≈ N(0,1), so 2 keeps ~98 %
    /// of the positive mass unclipped.</summary>
    public double ReluClip { get; init; } = 2.0;
    /// <summary>BN family: learn a scale γ and offset β per channel after every pre-activation batch norm (the export
    /// folds them into its statistics; see <see cref="PreActivation"/>). Off = McDonnell 2018's scale-free BN.</summary>
    public bool BatchNormAffine { get; init; }
    public int InputChannels { get; init; } = 3;
    public int InputHeight { get; init; } = 32;
    public int InputWidth { get; init; } = 32;
    public int Classes { get; init; } = 10;
    /// <summary>Per-channel pixel mean and std (0…255 units) of the input affine x = (u − mean)/std.</summary>
    public double[] Mean { get; init; } = new[] { 127.5, 127.5, 127.5 };
    public double[] Std { get; init; } = new[] { 64.0, 64.0, 64.0 };
    /// <summary>Initial logit temperature T (logits = GAP(conv)/T).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Learn log T by gradient descent (not weight-decayed).</summary>
    public bool LearnTemperature { get; init; } = true;
    /// <summary>Shifted-ReLU family: every quantizer reads x/s with a learned per-layer step s > 0 and its levels
    /// stand for s·a_j (LSQ, Esser et al. 2020), so the quantizer's range follows its input's scale instead of the
    /// fixed [−1, 1] (see <see cref="LearnedStep"/>). One scalar per layer: it folds into the layer's one threshold row
    /// and the next multiplier, so the blob keeps per-layer thresholds.</summary>
    public bool LearnedStep { get; init; }
    /// <summary>Initial value of a learned scalar gain g on every block's residual branch, S' = shortcut(S) + g·r
    /// (SkipInit, De &amp; Smith 2020, starts at 0); null = no gain (the paper's plain sum). Folds into the residual
    /// multiplier.</summary>
    public double? BranchGain { get; init; }
    /// <summary>Shifted-ReLU family: a learned offset per channel added to every quantizer's input (the centring batch
    /// norm gives, without batch statistics). It folds into per-channel thresholds, so the blob loses the per-layer
    /// thresholds of the paper's family.</summary>
    public bool ChannelOffsets { get; init; }

    public int BlocksPerStage => (Depth - 2) / 6;
    public int[] StageChannels => new[] { BaseChannels * Width, 2 * BaseChannels * Width, 4 * BaseChannels * Width };

    public string FamilyName => Family == NetworkFamily.ResNetSRelu ? "resnet_srelu" : "resnet_bn";

    public QuantizerSpec Quantizer()
    {
        var kind = Family == NetworkFamily.ResNetSRelu ? ActivationKind.ShiftedRelu : ActivationKind.Relu;
        return QuantizerSpec.Create(kind, Bits, ZeroCode, ReluClip);
    }

    public void Validate()
    {
        if (Depth < 8 || (Depth - 2) % 6 != 0) throw new ArgumentException($"depth {Depth} is not 6n+2 with n ≥ 1 (8, 14, 20, 26, …)");
        if (Width < 1) throw new ArgumentException("width must be ≥ 1");
        if (BaseChannels < 1) throw new ArgumentException("base channels must be ≥ 1");
        if (Bits is not (0 or 1 or 2 or 4 or 8)) throw new ArgumentException($"bits {Bits} not in {{0 (float), 1, 2, 4, 8}}");
        if (Mean.Length != InputChannels || Std.Length != InputChannels) throw new ArgumentException("mean/std need one value per input channel");
        if (BatchNormAffine && Family != NetworkFamily.ResNetBatchNorm) throw new ArgumentException("a learned BN scale and offset needs the bn family");
        if (Temperature <= 0) throw new ArgumentException("temperature must be > 0");
        if (LearnedStep && (Family != NetworkFamily.ResNetSRelu || Bits == 0)) throw new ArgumentException("a learned quantizer step needs the srelu family with quantized activations (bits > 0)");
        if (ChannelOffsets && Family != NetworkFamily.ResNetSRelu) throw new ArgumentException("learned channel offsets are for the srelu family (the bn family has --bn-affine)");
        if (BranchGain is double g && (double.IsNaN(g) || double.IsInfinity(g))) throw new ArgumentException("branch gain must be a finite number");
        Quantizer();
    }
}
