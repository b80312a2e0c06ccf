using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Mat;
using static OneBit.Conversion.Importers.ImportHelpers;

namespace OneBit.Conversion.Importers;

/// <summary>
/// Imports the authors' MATLAB/MatConvNet models (<c>TrainedWideResNet20-10_*_1-bit-per-weight-4MB.mat</c>),
/// replaying the layer list exactly as ForwardProp in WideResNet_Test.m does. See Importers/README.md.
///
/// Variables used: <c>BinaryWeights</c> (cell of logical kh×kw×Cin×Cout), <c>LayerWeights</c> (per-layer m),
/// <c>Moments</c> (cell of C×2 [mean, sigma] with sigma = sqrt(var + 1e-5) already, as vl_nnbnorm returns it),
/// <c>BNG</c>/<c>BNB</c> (cells of C×1 gains/biases), <c>Stride</c>, <c>Padding</c> (symmetric, all four
/// sides), <c>LayerTypes</c> ('input', 'brw' = BN→ReLU→conv, 'Residual_sum', 'brg' = BN→global average pool).
/// </summary>
public static class MatConvNetWrnImporter
{
    public static bool LooksLike(MatFile f) => f.Contains("BinaryWeights") && f.Contains("Moments") && f.Contains("LayerTypes");

    public static FloatNetwork Import(MatFile file, string name, string source = "", int inputSize = 32)
    {
        MatArray Var(string v) => file.Contains(v) ? file[v] : throw new ModelImportException($"{name}: variable '{v}' is missing");
        var weights = Var("BinaryWeights") as MatCellArray ?? throw new ModelImportException($"{name}: BinaryWeights is not a cell array");
        var layerWeights = Numeric(Var("LayerWeights"), "LayerWeights");
        var moments = Var("Moments") as MatCellArray ?? throw new ModelImportException($"{name}: Moments is not a cell array");
        var bng = Var("BNG") as MatCellArray ?? throw new ModelImportException($"{name}: BNG is not a cell array");
        var bnb = Var("BNB") as MatCellArray ?? throw new ModelImportException($"{name}: BNB is not a cell array");
        var stride = Numeric(Var("Stride"), "Stride");
        var padding = Numeric(Var("Padding"), "Padding");
        var typesCell = Var("LayerTypes") as MatCellArray ?? throw new ModelImportException($"{name}: LayerTypes is not a cell array");
        var types = typesCell.Cells.Select((c, i) => (c as MatCharArray)?.Text ?? throw new ModelImportException($"{name}: LayerTypes{{{i + 1}}} is not a string")).ToArray();

        int nConv = weights.Count;
        if (layerWeights.Count != nConv || stride.Count != nConv || padding.Count != nConv)
            throw new ModelImportException($"{name}: {nConv} BinaryWeights but {layerWeights.Count} LayerWeights, {stride.Count} Stride, {padding.Count} Padding");
        int nBn = types.Count(t => t is "brw" or "brg");
        if (moments.Count != nBn || bng.Count != nBn || bnb.Count != nBn)
            throw new ModelImportException($"{name}: LayerTypes has {nBn} batch norms but Moments/BNG/BNB have {moments.Count}/{bng.Count}/{bnb.Count} cells");
        if (types.Count(t => t == "brw") != nConv)
            throw new ModelImportException($"{name}: LayerTypes has {types.Count(t => t == "brw")} 'brw' layers for {nConv} BinaryWeights");

        BatchNorm Bn(int k)   // k: 0-based BN index (BNcount − 1)
        {
            var m = Numeric(moments[k], $"Moments{{{k + 1}}}");
            if (m.Dimensions.Count != 2 || m.Dimensions[1] != 2)
                throw new ModelImportException($"{name}: Moments{{{k + 1}}} is {m.DimensionText}, expected C x 2 (mean, sigma)");
            var sigma = Column(m, 1);
            var g = Numeric(bng[k], $"BNG{{{k + 1}}}").ToDoubleArray();
            var b = Numeric(bnb[k], $"BNB{{{k + 1}}}").ToDoubleArray();
            // vl_nnbnorm with 'moments' computes G·(x − mu)/sigma + B with sigma used as given (it already
            // includes epsilon): represent it exactly as Variance = sigma², Epsilon = 0.
            return new BatchNorm
            {
                Name = $"BN{k + 1}", Mean = Column(m, 0), Variance = sigma.Select(s => s * s).ToArray(), Epsilon = 0,
                Gamma = g, Beta = b,
            };
        }

        BinaryConv2d Conv(int k)   // k: 0-based conv index (WeightLayerIndex − 1)
        {
            var w = PlusMinusOneWeights(Numeric(weights[k], $"BinaryWeights{{{k + 1}}}"), $"{name}: BinaryWeights{{{k + 1}}}", out int kh, out int kw, out int cin, out int cout);
            double s = stride[k], p = padding[k];
            if (s != Math.Floor(s) || s < 1 || p != Math.Floor(p) || p < 0 || p > 16)
                throw new ModelImportException($"{name}: conv {k + 1} has Stride {s}, Padding {p}");
            int pi = (int)p;
            return new BinaryConv2d
            {
                Name = $"conv{k + 1}", KernelH = kh, KernelW = kw, InChannels = cin, OutChannels = cout, Stride = (int)s,
                PadTop = pi, PadLeft = pi, PadBottom = pi, PadRight = pi,   // vl_nnconv 'pad', p: p on all four sides
                Weights = w, Scale = layerWeights[k],
            };
        }

        // Replay LayerTypes. Expected: input, brw, Residual_sum, (brw, brw, Residual_sum)*, brw, brg.
        string seq = string.Join(" ", types);
        int pos = 0;
        string Next() => pos < types.Length ? types[pos++] : "<end>";
        void Expect(string t)
        {
            string got = Next();
            if (got != t) throw new ModelImportException($"{name}: LayerTypes{{{pos}}} is '{got}', expected '{t}' (sequence: {seq})");
        }
        Expect("input");
        Expect("brw");
        int convIdx = 0, bnIdx = 0;
        var inputBn = Bn(bnIdx++);
        var stem = Conv(convIdx++);
        Expect("Residual_sum");   // first Residual_sum: the residual stream starts as the stem's output
        int size = stem.OutputHeight(inputSize), ch = stem.OutChannels;
        var blocks = new List<ResidualBlock>();
        while (pos + 2 < types.Length && types[pos] == "brw" && types[pos + 1] == "brw" && types[pos + 2] == "Residual_sum")
        {
            pos += 3;
            var bn1 = Bn(bnIdx++); var c1 = Conv(convIdx++);
            var bn2 = Bn(bnIdx++); var c2 = Conv(convIdx++);
            int size2 = c2.OutputHeight(c1.OutputHeight(size));
            Shortcut sc = Shortcut.Identity;
            if (size2 < size)
            {
                // vl_nnpool(Residuals, 3, 'method','avg', 'stride',2, 'pad',1), then zero channels appended (RR buffers).
                // MatConvNet's average pooling divides by the number of in-image cells (pooling_cpu.cpp).
                sc = new Shortcut { Kind = ShortcutKind.AvgPool3x3Stride2ZeroChannels, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1, ZeroChannels = c2.OutChannels - ch };
                if (sc.OutputHeight(size) != size2 || sc.ZeroChannels < 0)
                    throw new ModelImportException($"{name}: block at conv {convIdx - 1} downsamples {size}→{size2}, {ch}→{c2.OutChannels} channels: not the avgpool/zero-channel shortcut");
            }
            else if (c2.OutChannels != ch)
                throw new ModelImportException($"{name}: block at conv {convIdx - 1} changes width {ch}→{c2.OutChannels} without downsampling");
            blocks.Add(new ResidualBlock { Bn1 = bn1, Activation1 = ActivationKind.Relu, Conv1 = c1, Bn2 = bn2, Activation2 = ActivationKind.Relu, Conv2 = c2, Shortcut = sc });
            size = size2;
            ch = c2.OutChannels;
        }
        Expect("brw");
        var headBn = Bn(bnIdx++);
        var headConv = Conv(convIdx++);
        Expect("brg");
        var postBn = Bn(bnIdx++);
        if (pos != types.Length) throw new ModelImportException($"{name}: unexpected layers after 'brg' (sequence: {seq})");

        var net = new FloatNetwork
        {
            Name = name,
            Source = source.Length > 0 ? source : "MATLAB/MatConvNet .mat",
            InputHeight = inputSize, InputWidth = inputSize, InputChannels = stem.InChannels,
            Input = InputAffine.FromBatchNorm(inputBn),
            InputActivation = ActivationKind.Relu,   // the first layer is a 'brw': BN → ReLU → conv, on the raw image
            Stem = stem, Blocks = blocks,
            Head = new NetworkHead { PreBn = headBn, Activation = ActivationKind.Relu, Conv = headConv, PostBn = postBn },
            ClassNames = headConv.OutChannels == 10 ? Cifar10Classes : Array.Empty<string>(),
        };
        try { net.Validate(); }
        catch (InvalidOperationException e) { throw new ModelImportException($"{name}: {e.Message}", e); }
        return net;
    }
}
