namespace OneBit.Conversion.FloatModel;

/// <summary>
/// A float description of a 1-bit-weight pre-activation wide ResNet, independent of any training framework:
/// what an importer produces, what the converter folds into integer thresholds, and what
/// <see cref="FloatForwardPass"/> runs as the float reference.
///
/// Data flow (tensors are H×W×C, channel fastest; the image is RGB bytes 0..255):
/// <code>
///   x = Input.Apply(pixel)                      per-channel α·p + β   (a folded input batch norm)
///   x = InputActivation(x)                      None (Keras files) or ReLU (MATLAB files)
///   r = Stem(x)                                 binary conv, the residual stream
///   for each block b:                           pre-activation residual block
///       t = b.Activation1(b.Bn1(r)); t = b.Conv1(t)
///       t = b.Activation2(b.Bn2(t)); t = b.Conv2(t)
///       r = b.Shortcut(r) + t
///   y = Head.Activation(Head.PreBn(r)); y = Head.Conv(y); y = Head.PostBn(y); y = y·Head.OutputScale
///   logits = global average of y over H×W
/// </code>
/// A missing batch norm (null) is the identity; that is how a shifted-ReLU network (2019 paper, no BN)
/// is described: Bn = null, Activation = ShiftedRelu.
/// </summary>
public sealed class FloatNetwork
{
    public required string Name { get; init; }
    /// <summary>Where it came from (file name and format), for reports.</summary>
    public string Source { get; init; } = "";
    public int InputHeight { get; init; } = 32;
    public int InputWidth { get; init; } = 32;
    public int InputChannels { get; init; } = 3;
    public required InputAffine Input { get; init; }
    public ActivationKind InputActivation { get; init; } = ActivationKind.None;
    public required BinaryConv2d Stem { get; init; }
    public required IReadOnlyList<ResidualBlock> Blocks { get; init; }
    public required NetworkHead Head { get; init; }
    /// <summary>Class names in label order, if known (empty otherwise).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = Array.Empty<string>();

    public int NumClasses => Head.Conv.OutChannels;

    /// <summary>All binary convs in forward order (stem, block convs, head conv).</summary>
    public IEnumerable<BinaryConv2d> Convolutions
    {
        get
        {
            yield return Stem;
            foreach (var b in Blocks) { yield return b.Conv1; yield return b.Conv2; }
            yield return Head.Conv;
        }
    }

    /// <summary>Checks channel counts, spatial sizes and array lengths through the whole network.</summary>
    public void Validate()
    {
        void Fail(string what) => throw new InvalidOperationException($"network '{Name}': {what}");
        if (Input.Alpha.Length != InputChannels || Input.Beta.Length != InputChannels) Fail($"input affine has {Input.Alpha.Length}/{Input.Beta.Length} channels, the input has {InputChannels}");
        foreach (var c in Convolutions) c.Validate();
        if (Stem.InChannels != InputChannels) Fail($"stem conv takes {Stem.InChannels} channels, the input has {InputChannels}");
        int h = Stem.OutputHeight(InputHeight), w = Stem.OutputWidth(InputWidth), ch = Stem.OutChannels;
        for (int i = 0; i < Blocks.Count; i++)
        {
            var b = Blocks[i];
            string n = $"block {i}";
            b.Bn1?.Validate(ch, n + " bn1");
            if (b.Conv1.InChannels != ch) Fail($"{n}: conv1 takes {b.Conv1.InChannels} channels, the stream has {ch}");
            int h1 = b.Conv1.OutputHeight(h), w1 = b.Conv1.OutputWidth(w);
            b.Bn2?.Validate(b.Conv1.OutChannels, n + " bn2");
            if (b.Conv2.InChannels != b.Conv1.OutChannels) Fail($"{n}: conv2 takes {b.Conv2.InChannels} channels, conv1 gives {b.Conv1.OutChannels}");
            int h2 = b.Conv2.OutputHeight(h1), w2 = b.Conv2.OutputWidth(w1);
            int sh = b.Shortcut.OutputHeight(h), sw = b.Shortcut.OutputWidth(w), sc = b.Shortcut.OutputChannels(ch);
            if (sh != h2 || sw != w2 || sc != b.Conv2.OutChannels)
                Fail($"{n}: shortcut gives {sh}x{sw}x{sc}, the conv path {h2}x{w2}x{b.Conv2.OutChannels}");
            h = h2; w = w2; ch = sc;
        }
        Head.PreBn?.Validate(ch, "head pre-BN");
        if (Head.Conv.InChannels != ch) Fail($"head conv takes {Head.Conv.InChannels} channels, the stream has {ch}");
        Head.PostBn?.Validate(Head.Conv.OutChannels, "head post-BN");
    }

    /// <summary>One line per layer, for reports and the README's sample output.</summary>
    public string Describe()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{Name} ({Source}): input {InputHeight}x{InputWidth}x{InputChannels}, {NumClasses} classes");
        sb.AppendLine($"  input affine α=[{string.Join(", ", Input.Alpha.Select(a => a.ToString("G4")))}] β=[{string.Join(", ", Input.Beta.Select(a => a.ToString("G4")))}], then {InputActivation}");
        sb.AppendLine($"  stem {Stem}");
        for (int i = 0; i < Blocks.Count; i++)
        {
            var b = Blocks[i];
            sb.AppendLine($"  block {i}: {(b.Bn1 is null ? "" : "BN ")}{b.Activation1} {b.Conv1} | {(b.Bn2 is null ? "" : "BN ")}{b.Activation2} {b.Conv2} | shortcut {b.Shortcut}");
        }
        sb.AppendLine($"  head: {(Head.PreBn is null ? "" : "BN ")}{Head.Activation} {Head.Conv}{(Head.PostBn is null ? "" : " BN")} ×{Head.OutputScale:G4} → global average pool");
        long weights = Convolutions.Sum(c => (long)c.Weights.Length);
        sb.Append($"  {Convolutions.Count()} binary convs, {weights} weights");
        return sb.ToString();
    }
}

/// <summary>Per-channel affine map applied to raw pixels 0..255: x = Alpha[c]·p + Beta[c].</summary>
public sealed class InputAffine
{
    public required double[] Alpha { get; init; }
    public required double[] Beta { get; init; }

    /// <summary>The affine map equal to a batch norm on raw pixels.</summary>
    public static InputAffine FromBatchNorm(BatchNorm bn)
    {
        bn.GetAffine(out double[] a, out double[] b);
        return new InputAffine { Alpha = a, Beta = b };
    }
}

public enum ActivationKind
{
    /// <summary>Identity.</summary>
    None,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>Shifted ReLU max(x, −1) (McDonnell et al. 2019).</summary>
    ShiftedRelu,
}

/// <summary>
/// Inference batch norm: y = Gamma·(x − Mean)/sqrt(Variance + Epsilon) + Beta per channel; Gamma null means 1,
/// Beta null means 0. Files that store the standard deviation σ directly (MatConvNet) are represented
/// with Variance = σ² and Epsilon = 0.
/// </summary>
public sealed class BatchNorm
{
    public string Name { get; init; } = "";
    public required double[] Mean { get; init; }
    public required double[] Variance { get; init; }
    public double Epsilon { get; init; }
    public double[]? Gamma { get; init; }
    public double[]? Beta { get; init; }

    public int Channels => Mean.Length;

    /// <summary>The same map as y = A[c]·x + B[c].</summary>
    public void GetAffine(out double[] a, out double[] b)
    {
        int n = Channels;
        a = new double[n];
        b = new double[n];
        for (int c = 0; c < n; c++)
        {
            double g = Gamma?[c] ?? 1.0, beta = Beta?[c] ?? 0.0;
            a[c] = g / Math.Sqrt(Variance[c] + Epsilon);
            b[c] = beta - Mean[c] * a[c];
        }
    }

    internal void Validate(int channels, string where)
    {
        if (Mean.Length != channels || Variance.Length != channels || (Gamma != null && Gamma.Length != channels) || (Beta != null && Beta.Length != channels))
            throw new InvalidOperationException($"{where} ({Name}): batch norm arrays must have {channels} channels");
        for (int c = 0; c < channels; c++)
            if (!(Variance[c] + Epsilon > 0) || double.IsNaN(Mean[c]))
                throw new InvalidOperationException($"{where} ({Name}): channel {c} has variance+eps {Variance[c] + Epsilon}, mean {Mean[c]}");
    }
}

/// <summary>
/// A convolution with ±1 weights and one per-layer scale: w = Scale·Weights (McDonnell 2018:
/// Scale = sqrt(2/(KernelH·KernelW·InChannels))). Cross-correlation, no bias.
/// Weights layout: [OutChannels][KernelH][KernelW][InChannels], each +1 or −1 (sbyte).
/// Padding is zeros; PadTop/PadLeft say where the first window starts (at −PadTop, −PadLeft);
/// the output size is (in + PadTop + PadBottom − kernel)/Stride + 1.
/// </summary>
public sealed class BinaryConv2d
{
    public string Name { get; init; } = "";
    public required int KernelH { get; init; }
    public required int KernelW { get; init; }
    public required int InChannels { get; init; }
    public required int OutChannels { get; init; }
    public int Stride { get; init; } = 1;
    public int PadTop { get; init; }
    public int PadLeft { get; init; }
    public int PadBottom { get; init; }
    public int PadRight { get; init; }
    /// <summary>±1 weights, [OutChannels][KernelH][KernelW][InChannels].</summary>
    public required sbyte[] Weights { get; init; }
    /// <summary>Per-layer multiplier m.</summary>
    public required double Scale { get; init; }

    public int WeightIndex(int co, int ky, int kx, int ci) => ((co * KernelH + ky) * KernelW + kx) * InChannels + ci;

    public sbyte Weight(int co, int ky, int kx, int ci) => Weights[WeightIndex(co, ky, kx, ci)];

    public int OutputHeight(int inHeight) => (inHeight + PadTop + PadBottom - KernelH) / Stride + 1;
    public int OutputWidth(int inWidth) => (inWidth + PadLeft + PadRight - KernelW) / Stride + 1;

    /// <summary>'same' padding as Keras/TensorFlow computes it: total = max((ceil(in/s)−1)·s + k − in, 0), top = total/2.</summary>
    public static (int Before, int After) SamePadding(int inSize, int kernel, int stride)
    {
        int outSize = (inSize + stride - 1) / stride;
        int total = Math.Max((outSize - 1) * stride + kernel - inSize, 0);
        return (total / 2, total - total / 2);
    }

    internal void Validate()
    {
        if (KernelH <= 0 || KernelW <= 0 || InChannels <= 0 || OutChannels <= 0 || Stride <= 0 || PadTop < 0 || PadLeft < 0 || PadBottom < 0 || PadRight < 0)
            throw new InvalidOperationException($"conv '{Name}': bad geometry {this}");
        if (Weights.Length != (long)OutChannels * KernelH * KernelW * InChannels)
            throw new InvalidOperationException($"conv '{Name}': {Weights.Length} weights, expected {OutChannels}x{KernelH}x{KernelW}x{InChannels}");
        foreach (sbyte w in Weights)
            if (w is not (1 or -1)) throw new InvalidOperationException($"conv '{Name}': weight {w} is not ±1");
        if (!(Scale > 0) || double.IsInfinity(Scale)) throw new InvalidOperationException($"conv '{Name}': scale {Scale}");
    }

    public override string ToString() =>
        $"conv{KernelH}x{KernelW}/{Stride} {InChannels}→{OutChannels} pad(t{PadTop},l{PadLeft},b{PadBottom},r{PadRight}) m={Scale:G6}";
}

public enum ShortcutKind
{
    /// <summary>r is passed through unchanged.</summary>
    Identity,
    /// <summary>
    /// 3×3 average pooling with stride 2 (window starting at −PadTop, −PadLeft; padded cells excluded from the
    /// average), then ZeroChannels zero channels appended after the existing ones.
    /// </summary>
    AvgPool3x3Stride2ZeroChannels,
}

/// <summary>The residual path of a block.</summary>
public sealed class Shortcut
{
    public ShortcutKind Kind { get; init; }
    public int PadTop { get; init; }
    public int PadLeft { get; init; }
    public int PadBottom { get; init; }
    public int PadRight { get; init; }
    /// <summary>Always false for the published models: the average divides by the number of in-image cells.</summary>
    public bool CountIncludePad { get; init; }
    public int ZeroChannels { get; init; }

    public const int PoolSize = 3, PoolStride = 2;

    public static Shortcut Identity { get; } = new() { Kind = ShortcutKind.Identity };

    public int OutputHeight(int h) => Kind == ShortcutKind.Identity ? h : (h + PadTop + PadBottom - PoolSize) / PoolStride + 1;
    public int OutputWidth(int w) => Kind == ShortcutKind.Identity ? w : (w + PadLeft + PadRight - PoolSize) / PoolStride + 1;
    public int OutputChannels(int c) => Kind == ShortcutKind.Identity ? c : c + ZeroChannels;

    public override string ToString() => Kind == ShortcutKind.Identity
        ? "identity"
        : $"avgpool3x3/2 pad(t{PadTop},l{PadLeft},b{PadBottom},r{PadRight}){(CountIncludePad ? " count-pad" : "")} + {ZeroChannels} zero channels";
}

/// <summary>A pre-activation residual block: conv path BN1→act→Conv1→BN2→act→Conv2, added to the shortcut.</summary>
public sealed class ResidualBlock
{
    public BatchNorm? Bn1 { get; init; }
    public ActivationKind Activation1 { get; init; } = ActivationKind.Relu;
    public required BinaryConv2d Conv1 { get; init; }
    public BatchNorm? Bn2 { get; init; }
    public ActivationKind Activation2 { get; init; } = ActivationKind.Relu;
    public required BinaryConv2d Conv2 { get; init; }
    public required Shortcut Shortcut { get; init; }
}

/// <summary>Head: PreBn → Activation → Conv (1×1) → PostBn → ×OutputScale → global average pool.</summary>
public sealed class NetworkHead
{
    public BatchNorm? PreBn { get; init; }
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;
    public required BinaryConv2d Conv { get; init; }
    public BatchNorm? PostBn { get; init; }
    /// <summary>1/T for the 2019 networks' temperature; 1 for the published BN models.</summary>
    public double OutputScale { get; init; } = 1.0;
}
