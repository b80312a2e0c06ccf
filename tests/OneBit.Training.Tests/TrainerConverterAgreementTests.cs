using OneBit.Conversion.FloatReference;
using OneBit.ModelExport;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OneBit.Training.Tests;

/// <summary>
/// The trainer's forward pass and the converter's float reference read the same export the same way: logits of a
/// network with non-trivial batch-norm statistics (with and without a learned scale and offset, which the export folds
/// into them), of a shifted-ReLU network with learned quantizer steps and branch gains, and a temperature ≠ 1 agree. (A head batch norm applied after
/// instead of before 1/T once cost a BN model 15 points between trainer and converter.)
/// </summary>
public class TrainerConverterAgreementTests
{
    [Theory]
    [InlineData("bn", 2)]
    [InlineData("bn", 0)]
    [InlineData("bn+affine", 2)]
    [InlineData("srelu", 2)]
    [InlineData("srelu+step+gain", 2)]
    [InlineData("srelu+step+gain", 1)]
    [InlineData("srelu+step+gain+offsets", 2)]
    public void ExportedLogitsMatchTheTrainersForwardPass(string family, int bits)
    {
        manual_seed(7);
        var cfg = new NetworkConfig
        {
            Family = family.StartsWith("bn") ? NetworkFamily.ResNetBatchNorm : NetworkFamily.ResNetSRelu, Depth = 8, Width = 1, BaseChannels = 8,
            BatchNormAffine = family == "bn+affine",
            LearnedStep = family.Contains("+step"), BranchGain = family.Contains("+gain") ? 0.5 : null, ChannelOffsets = family.Contains("+offsets"),
            Bits = bits, InputHeight = 12, InputWidth = 12, Classes = 5, Temperature = 0.37,
        };
        var net = new OneBitResNet(cfg);
        var rng = new Random(3);
        byte[][] images = Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, 12 * 12 * 3).Select(_ => (byte)rng.Next(256)).ToArray()).ToArray();
        using (no_grad())
        {
            // Running statistics far from (0, 1), so an ordering mistake around them shows.
            foreach (var (name, b) in net.named_buffers())
            {
                if (name.EndsWith("running_mean")) b.copy_(randn(b.shape).mul(0.5));
                if (name.EndsWith("running_var")) b.copy_(rand(b.shape).mul(2).add(0.3));
            }
            // Learned scales on both sides of 1 (and under the clamp), offsets of both signs.
            foreach (var (name, p) in net.named_parameters())
            {
                if (name.EndsWith("gamma")) p.copy_(rand(p.shape).mul(2).add(0.02));
                if (name.EndsWith("beta")) p.copy_(randn(p.shape).mul(0.5));
                // Steps (s = c·u, c = 1 before a data start) and branch gains away from 1, gains of both signs.
                if (name.EndsWith("step.unscaled")) p.copy_(rand(p.shape).mul(2).add(0.3));
                if (name.EndsWith("gain")) p.copy_(rand(p.shape).mul(2).sub(0.5));
                if (name.EndsWith("offset")) p.copy_(randn(p.shape).mul(0.7));
            }
        }
        net.eval();
        var export = ModelExportReader.FromBytes(ModelExportWriter.ToBytes(ModelExporter.Build(net, "t",
            Enumerable.Range(0, 5).Select(i => "c" + i).ToArray(), new ExportedMetrics(), new())));
        // The trainer's forward in float64, like the reference: in float32 a value within rounding of a quantizer
        // threshold takes the other level in one of the two, and how many do depends on libtorch's summation order.
        net.to(ScalarType.Float64);
        double[] trainer = Logits(net, images);
        var reference = new FloatForward(export);
        int close = 0;
        for (int i = 0; i < images.Length; i++)
        {
            double[] logits = reference.Forward(Hwc(images[i]));
            double scale = logits.Max(Math.Abs);
            Assert.True(scale > 1e-3);
            bool same = true;
            for (int o = 0; o < 5; o++) same &= Math.Abs(logits[o] - trainer[i * 5 + o]) <= 1e-4 * (1 + scale);
            if (same) close++;
        }
        // A value exactly on a threshold may still take the other level in one of the two.
        Assert.True(close >= images.Length - 2, $"{close} of {images.Length} images with equal logits");
    }

    static double[] Logits(OneBitResNet net, byte[][] images)
    {
        // The trainer's layout: NCHW values of raw pixels.
        var x = new double[images.Length * 3 * 144];
        for (int n = 0; n < images.Length; n++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 144; p++) x[(n * 3 + c) * 144 + p] = images[n][p * 3 + c];
        using var _ = no_grad();
        using var t = tensor(x, new long[] { images.Length, 3, 12, 12 });
        return net.forward(t).data<double>().ToArray();
    }

    static byte[] Hwc(byte[] image) => image;
}
