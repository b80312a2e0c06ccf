using OneBit.Conversion.Folding;
using OneBit.Conversion.Verification;
using OneBit.HostKernels;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

public class FoldingTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (string family in new[] { "resnet_srelu", "resnet_bn" })
            foreach (int bits in new[] { 1, 2, 4, 8 })
                yield return new object[] { family, bits };
    }

    /// <summary>
    /// Fold-and-run equivalence: the folded blob on the integer runtime against the float model of the same op list.
    /// Accumulators are exact given equal input levels; levels may differ only where a value sits within
    /// rounding of a threshold (stream fixed point, float32), so mismatches must be rare and top-1 must agree.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void FoldedBlobAgreesWithTheFloatModel(string family, int bits)
    {
        ExportedModel model = SyntheticExports.Make(bits * 10 + family.Length, family, bits, size: 9, width: 16, blocks: 2, classes: 6);
        Network net = BlobReader.Read(BlobWriter.Write(ModelFolder.Fold(model)));
        var verifier = new Verifier(model, net, new NetworkRunner(net, HostKernelSet.Host));
        var rng = new Random(bits);
        for (int i = 0; i < 40; i++) verifier.Add(SyntheticNetworks.RandomPixels(rng, net.InputBytes), -1);

        VerifyReport r = verifier.Report;
        Assert.True(r.Agreement >= 0.95, $"top-1 agreement {r.Agreement:P1}");
        bool levelsEqualSoFar = true;
        foreach (LayerDeviation d in r.Layers)
        {
            if (d.Kind == LayerOps.Quantize)
            {
                // Only rounding of the stream (2^-F) or float32 can put a value on the other side of a threshold.
                Assert.True(d.LevelMismatches <= d.Elements * 3 / 100, $"layer {d.Index}: {d.LevelMismatches} of {d.Elements} levels differ");
                levelsEqualSoFar &= d.LevelMismatches == 0;
            }
            else if (levelsEqualSoFar)
            {
                // Given equal levels, convs are exact and streams differ by fixed-point rounding only.
                Assert.True(d.MaxAbsDeviation <= 1e-4 * (1 + d.MaxAbsValue), $"layer {d.Index} ({d.Kind}) deviates by {d.MaxAbsDeviation} before any level differs");
            }
        }
        Assert.True(r.Layers[^1].MaxAbsValue > 0.01, "logits should not be all zero");
    }

    /// <summary>
    /// Learned quantizer steps and residual-branch gains (a shifted-ReLU network without batch norm, FORMAT.md §3) fold
    /// into thresholds and multipliers: the blob still agrees with the float model, whose logits they do change.
    /// Gains of both signs and 0 (a branch switched off).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void LearnedStepsAndBranchGainsFoldIntoTheBlob(int bits)
    {
        ExportedModel plain = SyntheticExports.Make(40 + bits, "resnet_srelu", bits, size: 9, width: 16, blocks: 2, classes: 6);
        ExportedModel model = SyntheticExports.Make(40 + bits, "resnet_srelu", bits, size: 9, width: 16, blocks: 2, classes: 6);
        var rng = new Random(bits);
        int residuals = 0;
        foreach (ExportedLayer op in model.Layers)
        {
            if (op.Op == LayerOps.Quantize) op.Step = 0.2 + 2.8 * rng.NextDouble();
            if (op.Op == LayerOps.Residual) op.Gain = residuals++ switch { 0 => -0.4, 1 => 0.0, _ => 0.3 + rng.NextDouble() };
        }
        Network net = BlobReader.Read(BlobWriter.Write(ModelFolder.Fold(model)));
        var verifier = new Verifier(model, net, new NetworkRunner(net, HostKernelSet.Host));
        var pixels = new Random(7);
        var frames = Enumerable.Range(0, 40).Select(_ => SyntheticNetworks.RandomPixels(pixels, net.InputBytes)).ToList();
        foreach (byte[] f in frames) verifier.Add(f, -1);
        VerifyReport r = verifier.Report;
        Assert.True(r.Agreement >= 0.95, $"top-1 agreement {r.Agreement:P1}");
        foreach (LayerDeviation d in r.Layers.Where(d => d.Kind == LayerOps.Quantize))
            Assert.True(d.LevelMismatches <= d.Elements * 3 / 100, $"layer {d.Index}: {d.LevelMismatches} of {d.Elements} levels differ");

        var withFields = new FloatReference.FloatForward(model);
        var without = new FloatReference.FloatForward(plain);
        double largest = frames.Max(f => withFields.Forward(f).Zip(without.Forward(f), (a, b) => Math.Abs(a - b)).Max());
        Assert.True(largest > 0.01, $"steps and gains changed no logit by more than {largest}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void AStepMustBePositiveAndFinite(double step)
    {
        ExportedModel model = SyntheticExports.Make(6, "resnet_srelu", 2);
        model.Layers[1].Step = step;
        var e = Assert.Throws<ModelExportFormatException>(() => ModelExportReader.Validate(model));
        Assert.Contains("step", e.Message);
    }

    [Fact]
    public void ShiftedReluQuantizerNeedsDeltaTimesZeroCodeOfTwo()
    {
        ExportedModel model = SyntheticExports.Make(3, "resnet_srelu", 2);
        model.Layers[1].Delta = 0.5;
        var e = Assert.Throws<NotSupportedException>(() => ModelFolder.Fold(model));
        Assert.Contains("op 1", e.Message);
        Assert.Contains("Δ·z = 2", e.Message);
    }

    [Fact]
    public void FullPrecisionActivationsAreRefusedWithTheFix()
    {
        ExportedModel model = SyntheticExports.Make(4, "resnet_srelu", 2);
        model.Layers[3].Bits = 0;
        var e = Assert.Throws<NotSupportedException>(() => ModelFolder.Fold(model));
        Assert.Contains("--bits", e.Message);
    }

    [Fact]
    public void WeightBitsFollowTheSignOfTheLatentWeights()
    {
        ExportedModel model = SyntheticExports.Make(5, "resnet_srelu", 1, width: 33);
        ExportedLayer conv = model.Layers[2];
        float[] latent = model.Tensor(conv.Weight!).Data;
        uint[] words = ModelFolder.PackWeights(model, conv);
        // o = 1, c = 32, ky = 2, kx = 0: word ((1·3 + 2)·3 + 0)·2 + 1, bit 0.
        bool plus = latent[((1 * 33 + 32) * 3 + 2) * 3 + 0] >= 0;
        Assert.Equal(plus, (words[((1 * 3 + 2) * 3 + 0) * 2 + 1] & 1) == 1);
        Assert.Equal(0u, words[1] & ~1u);   // channel 32 is the only used bit of the second word
    }
}
