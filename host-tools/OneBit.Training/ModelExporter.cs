using OneBit.ModelExport;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>Writer side of the export format (host-tools/OneBit.ModelExport/FORMAT.md): turns a trained
/// <see cref="OneBitResNet"/> into the op list the converter folds into the integer contract.</summary>
public static class ModelExporter
{
    public static ExportedModel Build(OneBitResNet net, string name, string[] classNames, ExportedMetrics metrics, Dictionary<string, string> training)
    {
        var cfg = net.Config;
        var m = new ExportedModel
        {
            Name = name,
            CreatedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ClassNames = classNames,
            Temperature = net.Temperature,
            Metrics = metrics,
            Training = training,
            Input = new ExportedInput
            {
                Height = cfg.InputHeight, Width = cfg.InputWidth, Channels = cfg.InputChannels,
                Mean = cfg.Mean, Std = cfg.Std,
                Alpha = cfg.Std.Select(s => 1.0 / s).ToArray(),
                Beta = cfg.Mean.Zip(cfg.Std, (mu, s) => -mu / s).ToArray(),
            },
            Architecture = new ExportedArchitecture
            {
                Family = cfg.FamilyName, Depth = cfg.Depth, Width = cfg.Width, BlocksPerStage = cfg.BlocksPerStage,
                StageChannels = cfg.StageChannels, Classes = cfg.Classes, Bits = cfg.Bits, ParameterCount = net.ParameterCount,
            },
        };

        void Conv(string op, string lname, BinarizedConv2d c)
        {
            string wname = lname + ".weight";
            m.Tensors.Add(ToExport(wname, c.weight));
            m.Layers.Add(new ExportedLayer
            {
                Op = op, Name = lname, Weight = wname, Kernel = c.Kernel, Stride = c.Stride, PadTop = c.Padding, PadLeft = c.Padding,
                InChannels = c.InChannels, OutChannels = c.OutChannels, Scale = c.Scale,
            });
        }
        ExportedBatchNorm Statistics(string lname, (float[] Mean, float[] Var) stats)
        {
            var (mean, var) = stats;
            m.Tensors.Add(new ExportedTensor(lname + ".bn.mean", new long[] { mean.Length }, mean));
            m.Tensors.Add(new ExportedTensor(lname + ".bn.var", new long[] { var.Length }, var));
            return new ExportedBatchNorm { Mean = lname + ".bn.mean", Var = lname + ".bn.var", Eps = PreActivation.BatchNormEps };
        }
        ExportedBatchNorm? Bn(string lname, ScaleFreeBatchNorm? bn) => bn is null ? null : Statistics(lname, bn.Statistics());
        ExportedBatchNorm? Folded(string lname, PreActivation a) => a.bn is not null ? Statistics(lname, a.FoldedStatistics())
            : a.offset is not null ? Offsets(lname, a.offset) : null;
        // A learned offset β per channel: y + β is the batch norm with mean 0, variance 1, ε = 0 and offset β.
        ExportedBatchNorm Offsets(string lname, Tensor offset)
        {
            var beta = ToExport(lname + ".offset", offset);
            int n = beta.Data.Length;
            m.Tensors.Add(beta);
            m.Tensors.Add(new ExportedTensor(lname + ".offset.mean", new long[] { n }, new float[n]));
            m.Tensors.Add(new ExportedTensor(lname + ".offset.var", new long[] { n }, Enumerable.Repeat(1f, n).ToArray()));
            return new ExportedBatchNorm { Mean = lname + ".offset.mean", Var = lname + ".offset.var", Eps = 0, Beta = beta.Name };
        }
        void Quant(string lname, string source, PreActivation a)
        {
            var s = a.Spec;
            m.Layers.Add(new ExportedLayer
            {
                Op = LayerOps.Quantize, Name = lname, Source = source,
                Activation = s.Kind == ActivationKind.ShiftedRelu ? "srelu" : "relu",
                Bits = s.Bits, ZeroCode = s.FullPrecision ? null : s.ZeroCode, Delta = s.FullPrecision ? null : s.Delta,
                Step = a.step?.Current(),
                BatchNorm = Folded(lname, a),
            });
        }

        Conv(LayerOps.Stem, "stem", net.stem);
        foreach (var b in net.blocks)
        {
            string n = b.GetName();
            Quant(n + ".act1", "stream", b.act1);
            Conv(LayerOps.Conv, n + ".conv1", b.conv1);
            Quant(n + ".act2", "acc", b.act2);
            Conv(LayerOps.Conv, n + ".conv2", b.conv2);
            m.Layers.Add(new ExportedLayer
            {
                Op = LayerOps.Residual, Name = n + ".residual",
                Shortcut = b.Stride == 2 ? "avgpool3x3s2" : "identity",
                PadTop = b.Stride == 2 ? 1 : 0, PadLeft = b.Stride == 2 ? 1 : 0,
                InChannels = b.InChannels, OutChannels = b.OutChannels,
                Gain = b.gain is null ? null : GainOf(b),
            });
        }
        Quant("head.act", "stream", net.head_act);
        Conv(LayerOps.Conv, "head.conv", net.head_conv);
        m.Layers.Add(new ExportedLayer { Op = LayerOps.GlobalPool, Name = "head.pool", Classes = cfg.Classes, BatchNorm = Bn("head", net.head_bn) });
        ModelExportReader.Validate(m);
        return m;
    }

    static double GainOf(ResidualBlock b)
    {
        using var g = b.gain!.detach().cpu();
        return g.item<float>();
    }

    static ExportedTensor ToExport(string name, Tensor t)
    {
        using var c = t.detach().cpu().contiguous().to_type(ScalarType.Float32);
        return new ExportedTensor(name, c.shape, c.data<float>().ToArray());
    }
}
