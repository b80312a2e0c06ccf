using System.Text.RegularExpressions;
using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Mat;
using static OneBit.Conversion.Importers.ImportHelpers;

namespace OneBit.Conversion.Importers;

/// <summary>
/// Imports the authors' Keras models saved with scipy.io.savemat (<c>CIFAR10_allparams.mat</c>,
/// <c>CIFAR100_allparams.mat</c>): the pre-activation WRN of ResNetModel.py <c>resnet()</c> with binary
/// weights. See Importers/README.md for the semantics and how they were established.
///
/// Variables: <c>conv2d[_N]</c> uint8 0/1 (1, kh, kw, Cin, Cout) and <c>batch_normalization_v1_N</c>
/// float32 (4, C) = gamma, beta, moving mean, moving variance for the input BN and (2, C) = moving mean,
/// moving variance for the others, all in layer order by numeric suffix (no suffix = first).
/// </summary>
public static class KerasAllParamsImporter
{
    /// <summary>BatchNormalization(epsilon=1e-5) in ResNetModel.py (not the Keras default 1e-3).</summary>
    public const double Epsilon = 1e-5;

    static readonly Regex ConvName = new(@"^conv2d(?:_(\d+))?$", RegexOptions.CultureInvariant);
    static readonly Regex BnName = new(@"^batch_normalization(?:_v\d+)?(?:_(\d+))?$", RegexOptions.CultureInvariant);

    public static bool LooksLike(MatFile f) => f.Variables.Any(v => ConvName.IsMatch(v.Name)) && f.Variables.Any(v => BnName.IsMatch(v.Name));

    public static FloatNetwork Import(MatFile file, string name, string source = "", int inputSize = 32)
    {
        static int Suffix(Match m) => m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : -1;
        var convs = file.Variables.Select(v => (v, m: ConvName.Match(v.Name))).Where(p => p.m.Success).OrderBy(p => Suffix(p.m)).Select(p => p.v).ToList();
        var bns = file.Variables.Select(v => (v, m: BnName.Match(v.Name))).Where(p => p.m.Success).OrderBy(p => Suffix(p.m)).Select(p => p.v).ToList();
        if (convs.Count < 4 || convs.Count % 2 != 0)
            throw new ModelImportException($"{name}: {convs.Count} conv2d variables; a pre-activation ResNet has stem + 2 per block + head (an even number ≥ 4)");
        if (bns.Count != convs.Count + 1)
            throw new ModelImportException($"{name}: {bns.Count} batch_normalization variables for {convs.Count} convs, expected {convs.Count + 1} (input BN, one before every other conv, one after the head conv)");

        var conv = new List<(sbyte[] W, int Kh, int Kw, int Cin, int Cout)>();
        foreach (var v in convs)
        {
            var w = PlusMinusOneWeights(Numeric(v, v.Name), v.Name, out int kh, out int kw, out int cin, out int cout);
            conv.Add((w, kh, kw, cin, cout));
        }

        BatchNorm Bn(int i, bool affine)
        {
            var a = Numeric(bns[i], bns[i].Name);
            int rows = a.Dimensions[0];
            if (a.Dimensions.Count != 2 || rows != (affine ? 4 : 2))
                throw new ModelImportException($"{bns[i].Name}: {a.DimensionText}, expected {(affine ? "4 rows (gamma, beta, mean, variance)" : "2 rows (mean, variance)")} x C");
            return affine
                ? new BatchNorm { Name = bns[i].Name, Gamma = Row(a, 0), Beta = Row(a, 1), Mean = Row(a, 2), Variance = Row(a, 3), Epsilon = Epsilon }
                : new BatchNorm { Name = bns[i].Name, Mean = Row(a, 0), Variance = Row(a, 1), Epsilon = Epsilon };
        }

        BinaryConv2d Conv(int i, int stride, int inSize)
        {
            var c = conv[i];
            var (pt, pb) = BinaryConv2d.SamePadding(inSize, c.Kh, stride);
            var (pl, pr) = BinaryConv2d.SamePadding(inSize, c.Kw, stride);
            return new BinaryConv2d
            {
                Name = convs[i].Name, KernelH = c.Kh, KernelW = c.Kw, InChannels = c.Cin, OutChannels = c.Cout, Stride = stride,
                PadTop = pt, PadBottom = pb, PadLeft = pl, PadRight = pr, Weights = c.W,
                Scale = Math.Sqrt(2.0 / (c.Kh * c.Kw * c.Cin)),
            };
        }

        int size = inputSize;
        var stem = Conv(0, 1, size);
        var blocks = new List<ResidualBlock>();
        int ch = stem.OutChannels;
        for (int i = 1; i + 1 < convs.Count - 1; i += 2)
        {
            // resnet(): the first block of stacks 2 and 3 has stride 2 and doubles the width; it is the only
            // place the width changes, so a channel change marks a downsampling block.
            bool down = conv[i].Cout != ch;
            int stride = down ? 2 : 1;
            var c1 = Conv(i, stride, size);
            int size2 = c1.OutputHeight(size);
            var c2 = Conv(i + 1, 1, size2);
            Shortcut sc = Shortcut.Identity;
            if (down)
            {
                if (c2.OutChannels < ch) throw new ModelImportException($"{convs[i].Name}: width goes from {ch} to {c2.OutChannels}; only widening downsampling blocks exist in this family");
                var (pt, pb) = BinaryConv2d.SamePadding(size, 3, 2);   // AveragePooling2D(3, 2, 'same')
                sc = new Shortcut { Kind = ShortcutKind.AvgPool3x3Stride2ZeroChannels, PadTop = pt, PadBottom = pb, PadLeft = pt, PadRight = pb, ZeroChannels = c2.OutChannels - ch };
            }
            blocks.Add(new ResidualBlock
            {
                Bn1 = Bn(i, false), Activation1 = ActivationKind.Relu, Conv1 = c1,
                Bn2 = Bn(i + 1, false), Activation2 = ActivationKind.Relu, Conv2 = c2,
                Shortcut = sc,
            });
            ch = c2.OutChannels;
            size = size2;
        }
        int last = convs.Count - 1;
        var head = new NetworkHead
        {
            PreBn = Bn(last, false), Activation = ActivationKind.Relu,
            Conv = Conv(last, 1, size),
            PostBn = Bn(last + 1, false),
        };
        var net = new FloatNetwork
        {
            Name = name,
            Source = source.Length > 0 ? source : "Keras allparams .mat (scipy)",
            InputHeight = inputSize, InputWidth = inputSize, InputChannels = conv[0].Cin,
            Input = InputAffine.FromBatchNorm(Bn(0, true)),
            InputActivation = ActivationKind.None,   // resnet_layer(UseRelu=False) for the stem
            Stem = stem, Blocks = blocks, Head = head,
            ClassNames = head.Conv.OutChannels == 10 ? Cifar10Classes : Array.Empty<string>(),
        };
        try { net.Validate(); }
        catch (InvalidOperationException e) { throw new ModelImportException($"{name}: {e.Message}", e); }
        return net;
    }
}
