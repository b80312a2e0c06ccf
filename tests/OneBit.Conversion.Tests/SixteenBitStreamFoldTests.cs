using OneBit.Conversion.Folding;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

/// <summary>`convert --stream-bits 16`: the largest F whose stream is proven to fit int16, and a blob the device's
/// 16-bit stream rings run exactly like the int32 whole-frame runner.</summary>
public class SixteenBitStreamFoldTests
{
    [Theory]
    [InlineData(1, "resnet_srelu", 2)]
    [InlineData(2, "resnet_bn", 2)]
    [InlineData(3, "resnet_bn", 1)]
    public void PicksTheLargestFractionBitsThatFit(int seed, string family, int bits)
    {
        ExportedModel model = SyntheticExports.Make(seed, family, bits, size: 12, width: 16, blocks: 3, classes: 10);
        Assert.False(StreamBound.FitsInt16(Parsed(ModelFolder.Fold(model))));
        Network read = Parsed(ModelFolder.FoldWithin16BitStream(model));
        int f = read.StreamFracBits;
        Assert.InRange(f, 1, ModelFolder.DefaultStreamFracBits - 1);
        Assert.True(StreamBound.FitsInt16(read));
        Assert.False(StreamBound.FitsInt16(Parsed(ModelFolder.Fold(model, f + 1))));
        Assert.Equal(f, ModelFolder.FoldWithin16BitStream(model, f).StreamFracBits);

        var whole = new NetworkRunner(read);
        // The device's path on its own parse: its kernels take over the conv weights, which the reference needs.
        var device = RunnerFactory.Build(DeviceMemoryPlan.For(Parsed(ModelFolder.FoldWithin16BitStream(model)), long.MaxValue, DeviceMemoryPlan.DeviceKernels, false));
        Assert.IsType<StreamingRunner>(device);
        Assert.True(((StreamingRunner)device).Plan.Int16Stream);
        var rng = new Random(seed);
        for (int i = 0; i < 4; i++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, read.InputBytes);
            Assert.Equal(whole.Run(pixels), device.Run(pixels));
            Assert.Equal(whole.Logits, device.Logits);
        }
    }

    private static Network Parsed(Network folded) => BlobReader.Read(BlobWriter.Write(folded));
}
