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
