using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Importers;
using OneBit.Conversion.Mat;
using static OneBit.Conversion.Tests.MatTestSupport;

namespace OneBit.Conversion.Tests;

/// <summary>
/// The importers on the four published models and the float forward pass on a CIFAR-10 sample
/// (needs ../shared or $ONEBIT_SHARED: models/mcdonnell-2018 and datasets/cifar10-train-jpeg.tar.gz).
/// </summary>
public class PublishedModelImporterTests
{
    static readonly Dictionary<string, FloatNetwork> Cache = new();
    static FloatNetwork Load(string file)
    {
        string path = Model(file);
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var net)) Cache[file] = net = PublishedModelImporter.Import(path);
            return net;
        }
    }

    static void AssertWrn20x10(FloatNetwork net, int classes)
    {
        Assert.Equal(20, net.Convolutions.Count());
        Assert.Equal(26_737_120L - 640 * 10 + 640L * classes, net.Convolutions.Sum(c => (long)c.Weights.Length));
        Assert.Equal(9, net.Blocks.Count);
        Assert.Equal(classes, net.NumClasses);
        Assert.Equal((3, 160), (net.Stem.InChannels, net.Stem.OutChannels));
        for (int i = 0; i < 9; i++)
        {
            var b = net.Blocks[i];
            bool down = i is 3 or 6;
            Assert.Equal(down ? 2 : 1, b.Conv1.Stride);
            Assert.Equal(down ? ShortcutKind.AvgPool3x3Stride2ZeroChannels : ShortcutKind.Identity, b.Shortcut.Kind);
            if (down) Assert.Equal(b.Conv1.InChannels, b.Shortcut.ZeroChannels);
            Assert.Equal(new[] { 160, 160, 160, 320, 320, 320, 640, 640, 640 }[i], b.Conv2.OutChannels);
            Assert.False(b.Shortcut.CountIncludePad);
            foreach (var c in new[] { b.Conv1, b.Conv2 })
                Assert.Equal(Math.Sqrt(2.0 / (9 * c.InChannels)), c.Scale, 6);
        }
        Assert.Equal((1, 1, 640, classes), (net.Head.Conv.KernelH, net.Head.Conv.KernelW, net.Head.Conv.InChannels, net.Head.Conv.OutChannels));
        Assert.Equal((0, 0, 0, 0), (net.Head.Conv.PadTop, net.Head.Conv.PadLeft, net.Head.Conv.PadBottom, net.Head.Conv.PadRight));
        Assert.NotNull(net.Head.PreBn);
        Assert.NotNull(net.Head.PostBn);
        Assert.Equal(ActivationKind.Relu, net.Head.Activation);
        Assert.Equal(1.0, net.Head.OutputScale);
    }

    [Theory]
    [InlineData(KerasCifar10, 10)]
    [InlineData(KerasCifar100, 100)]
    public void KerasImporter_BuildsTheWrn20x10WithTensorFlowPadding(string file, int classes)
    {
        var net = Load(file);
        AssertWrn20x10(net, classes);
        Assert.Equal(ActivationKind.None, net.InputActivation);
        foreach (var b in net.Blocks.Where(b => b.Conv1.Stride == 2))
        {
            // 'same' with stride 2 on an even input pads bottom/right only; so does AveragePooling2D(3, 2, 'same').
            Assert.Equal((0, 0, 1, 1), (b.Conv1.PadTop, b.Conv1.PadLeft, b.Conv1.PadBottom, b.Conv1.PadRight));
            Assert.Equal((0, 0, 1, 1), (b.Shortcut.PadTop, b.Shortcut.PadLeft, b.Shortcut.PadBottom, b.Shortcut.PadRight));
        }
        Assert.All(net.Blocks.SelectMany(b => new[] { b.Bn1, b.Bn2 }).Append(net.Head.PreBn).Append(net.Head.PostBn), bn =>
        {
            Assert.Equal(1e-5, bn.Epsilon);
            Assert.Null(bn.Gamma);
            Assert.Null(bn.Beta);
        });

        // Weight layout: [Cout][kh][kw][Cin] = 2·b − 1 of the HWIO array (1, kh, kw, Cin, Cout).
        var raw = (MatNumericArray)MatFile.Read(Model(file))[file == KerasCifar10 ? "conv2d_7" : "conv2d_47"];
        var conv = net.Blocks[3].Conv1;
        var rng = new Random(3);
        for (int n = 0; n < 200; n++)
        {
            int co = rng.Next(conv.OutChannels), ky = rng.Next(3), kx = rng.Next(3), ci = rng.Next(conv.InChannels);
            Assert.Equal(2 * raw.At(0, ky, kx, ci, co) - 1, conv.Weight(co, ky, kx, ci));
        }

        // The input BN folds to α = γ/sqrt(var + 1e-5), β = beta − mean·α.
        var bn0 = (MatNumericArray)MatFile.Read(Model(file)).Variables[0];
        for (int c = 0; c < 3; c++)
        {
            double a = bn0.At(0, c) / Math.Sqrt(bn0.At(3, c) + 1e-5);
            Assert.Equal(a, net.Input.Alpha[c], 12);
            Assert.Equal(bn0.At(1, c) - bn0.At(2, c) * a, net.Input.Beta[c], 12);
        }
    }

    [Theory]
    [InlineData(MatlabCifar10, 10)]
    [InlineData(MatlabCifar100, 100)]
    public void MatConvNetImporter_BuildsTheWrn20x10WithSymmetricPaddingAndSigmaMoments(string file, int classes)
    {
        var net = Load(file);
        AssertWrn20x10(net, classes);
        Assert.Equal(ActivationKind.Relu, net.InputActivation);   // the first 'brw' is BN → ReLU → conv on the image
        foreach (var b in net.Blocks)
        {
            Assert.Equal((1, 1, 1, 1), (b.Conv1.PadTop, b.Conv1.PadLeft, b.Conv1.PadBottom, b.Conv1.PadRight));
            if (b.Shortcut.Kind != ShortcutKind.Identity) Assert.Equal((1, 1), (b.Shortcut.PadTop, b.Shortcut.PadLeft));
        }
        var mat = MatFile.Read(Model(file));
        var moments = (MatCellArray)mat["Moments"];
        // Moments{k} = [mean, sigma] with sigma already sqrt(var + eps): stored as Variance = sigma², Epsilon = 0.
        var m2 = (MatNumericArray)moments[1];
        var bn = net.Blocks[0].Bn1;
        Assert.Equal(0, bn.Epsilon);
        for (int c = 0; c < 160; c++)
        {
            Assert.Equal(m2.At(c, 0), bn.Mean[c]);
            Assert.Equal(m2.At(c, 1), Math.Sqrt(bn.Variance[c]), 6);
        }
        Assert.Equal(((MatNumericArray)((MatCellArray)mat["BNG"])[20]).ToDoubleArray(), net.Head.PostBn.Gamma);

        var raw = (MatNumericArray)((MatCellArray)mat["BinaryWeights"])[7];
        var conv = net.Blocks[3].Conv1;
        var rng = new Random(4);
        for (int n = 0; n < 200; n++)
        {
            int co = rng.Next(conv.OutChannels), ky = rng.Next(3), kx = rng.Next(3), ci = rng.Next(conv.InChannels);
            Assert.Equal(2 * raw.At(ky, kx, ci, co) - 1, conv.Weight(co, ky, kx, ci));
        }
    }

    /// <summary>
    /// The float reference on 20 CIFAR-10 training images (2 per class, JPEG): a wrong semantic (layout,
    /// padding, moments) drops this to chance. Full-sample figures are in Importers/README.md.
    /// </summary>
    [Theory]
    [InlineData(KerasCifar10)]
    [InlineData(MatlabCifar10)]
    public void FloatForwardPass_ClassifiesCifar10SampleWell(string file)
    {
        var net = Load(file);
        var sample = ImporterTestSupport.CifarSample(perClass: 2);
        var pass = new FloatForwardPass(net);
        var predictions = new int[sample.Count];
        var logits = new double[sample.Count][];
        Parallel.For(0, sample.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            logits[i] = pass.Run(sample[i].Rgb);
            predictions[i] = FloatForwardPass.ArgMax(logits[i]);
        });
        Assert.All(logits.SelectMany(l => l), v => Assert.True(double.IsFinite(v)));
        int correct = Enumerable.Range(0, sample.Count).Count(i => predictions[i] == sample[i].Label);
        Assert.True(correct >= 17, $"{file}: {correct}/{sample.Count} correct on the CIFAR-10 JPEG sample; expected ≥ 17");
    }

    [Fact]
    public void FloatForwardPass_Cifar100Models_GiveFiniteLogitsAndAgreeMoreThanChance()
    {
        var keras = new FloatForwardPass(Load(KerasCifar100));
        var matlab = new FloatForwardPass(Load(MatlabCifar100));
        var sample = ImporterTestSupport.CifarSample(perClass: 1);
        var pairs = new (double[] A, double[] B)[sample.Count];
        Parallel.For(0, sample.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => pairs[i] = (keras.Run(sample[i].Rgb), matlab.Run(sample[i].Rgb)));
        int agree = 0;
        foreach (var (a, b) in pairs)
        {
            Assert.Equal(100, a.Length);
            Assert.All(a.Concat(b), v => Assert.True(double.IsFinite(v)));
            if (FloatForwardPass.ArgMax(a) == FloatForwardPass.ArgMax(b)) agree++;
        }
        // Two independently trained CIFAR-100 models name the same fine class for many CIFAR-10 images; chance is 1 %.
        Assert.True(agree >= 3, $"the two CIFAR-100 models agree on {agree}/{sample.Count} images");
    }
}
