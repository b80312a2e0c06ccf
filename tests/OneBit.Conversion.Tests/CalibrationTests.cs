using OneBit.Conversion.Folding;
using OneBit.Conversion.Verification;
using OneBit.HostKernels;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

public class CalibrationTests
{
    private static ExportedModel FullPrecision(string family)
    {
        ExportedModel m = SyntheticExports.Make(7, family, bits: 2, size: 8, width: 16, blocks: 2, classes: 5);
        foreach (ExportedLayer q in m.Quantizers) { q.Bits = 0; q.Delta = null; q.ZeroCode = null; }
        return m;
    }

    [Theory]
    [InlineData("resnet_srelu", 8)]
    [InlineData("resnet_bn", 8)]
    [InlineData("resnet_bn", 4)]
    public void CalibratedQuantizersCoverThePercentileAndFoldToAnAgreeingBlob(string family, int bits)
    {
        ExportedModel fp = FullPrecision(family);
        var rng = new Random(3);
        byte[][] frames = Enumerable.Range(0, 12).Select(_ => SyntheticNetworks.RandomPixels(rng, 8 * 8 * 3)).ToArray();
        ExportedModel q = Calibrator.Calibrate(fp, frames, bits, percentile: 99.9);

        Assert.All(q.Quantizers, op =>
        {
            Assert.Equal(bits, op.Bits);
            Assert.True(op.Delta > 0);
            if (op.Activation == "srelu") Assert.Equal(2.0, op.Delta!.Value * op.ZeroCode!.Value, 9);
            else Assert.Equal(0, op.ZeroCode);
        });
        Assert.All(fp.Quantizers, op => Assert.Equal(0, op.Bits));      // the input model is left as it was

        Network net = BlobReader.Read(BlobWriter.Write(ModelFolder.Fold(q)));
        var verifier = new Verifier(q, net, new NetworkRunner(net, HostKernelSet.Host));
        foreach (byte[] f in frames) verifier.Add(f, -1);
        Assert.True(verifier.Report.Agreement >= 0.9, $"agreement {verifier.Report.Agreement:P0}");
        // The top level sits at the percentile: few activations may exceed it, most levels must be used below it.
        Assert.True(verifier.Report.Layers.Where(d => d.Kind == LayerOps.Quantize).All(d => d.LevelMismatches <= d.Elements / 50));
    }

    [Fact]
    public void CalibrationWithoutFramesIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Calibrator.Calibrate(FullPrecision("resnet_bn"), Array.Empty<byte[]>(), 8));
        Assert.Contains("at least one frame", e.Message);
    }
}
