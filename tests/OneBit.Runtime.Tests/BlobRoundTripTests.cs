using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class BlobRoundTripTests
{
    public static IEnumerable<object[]> Networks()
    {
        yield return new object[] { 1, 8, 8, 3, 8, 2, 2, 3, false, 1 };
        yield return new object[] { 2, 7, 5, 1, 33, 2, 1, 1, true, 0 };
        yield return new object[] { 3, 1, 1, 3, 4, 1, 4, 15, false, 1 };
        yield return new object[] { 4, 9, 9, 3, 16, 4, 8, 0, true, 1 };
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void WrittenBlobReadsBackEqualAndRewritesIdentically(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad);
        var rng = new Random(seed);
        byte[] blob = TestVectorMaker.WriteWithTestVectors(net, new[] { SyntheticNetworks.RandomPixels(rng, h * w * c), SyntheticNetworks.RandomPixels(rng, h * w * c) });

        Network back = BlobReader.Read(blob);
        Assert.Equal(net.Name, back.Name);
        Assert.Equal(net.ClassNames, back.ClassNames);
        Assert.Equal((h, w, c, 8), (back.InputHeight, back.InputWidth, back.InputChannels, back.StreamFracBits));
        Assert.Equal(net.Layers.Length, back.Layers.Length);
        for (int i = 0; i < net.Layers.Length; i++) AssertSameRecord(net.Layers[i], back.Layers[i]);
        Assert.Equal(2, back.TestVectors.Length);
        Assert.Equal(net.TestVectors[1].Pixels, back.TestVectors[1].Pixels);
        Assert.Equal(net.TestVectors[1].LogitsCrc, back.TestVectors[1].LogitsCrc);
        Assert.Equal(blob, BlobWriter.Write(back));
        Assert.Equal(bits, back.ActivationBits);
    }

    private static void AssertSameRecord(Layer a, Layer b)
    {
        Assert.Equal(a.Kind, b.Kind);
        switch (a)
        {
            case StemLayer s:
                var t = (StemLayer)b;
                Assert.Equal((s.InChannels, s.OutChannels, s.KernelSize, s.PadTop, s.PadLeft, s.Height, s.Width, s.Shift),
                             (t.InChannels, t.OutChannels, t.KernelSize, t.PadTop, t.PadLeft, t.Height, t.Width, t.Shift));
                Assert.Equal(s.PixelScale, t.PixelScale); Assert.Equal(s.WeightSumScale, t.WeightSumScale); Assert.Equal(s.Weights, t.Weights);
                break;
            case QuantizeLayer q:
                var r = (QuantizeLayer)b;
                Assert.Equal((q.Mode, q.Source, q.Bits, q.ZeroCode, q.Rows, q.Shift), (r.Mode, r.Source, r.Bits, r.ZeroCode, r.Rows, r.Shift));
                Assert.Equal(q.Thresholds, r.Thresholds); Assert.Equal(q.Signs, r.Signs);
                Assert.Equal(q.Multipliers, r.Multipliers); Assert.Equal(q.Offsets, r.Offsets);
                break;
            case ConvLayer cv:
                var d = (ConvLayer)b;
                Assert.Equal((cv.KernelSize, cv.Stride, cv.PadTop, cv.PadLeft, cv.InChannels, cv.OutChannels), (d.KernelSize, d.Stride, d.PadTop, d.PadLeft, d.InChannels, d.OutChannels));
                Assert.Equal(cv.Weights, d.Weights);
                break;
            case ResidualLayer res:
                var e = (ResidualLayer)b;
                Assert.Equal((res.Shortcut, res.PadTop, res.PadLeft, res.Shift), (e.Shortcut, e.PadTop, e.PadLeft, e.Shift));
                Assert.Equal(res.Multipliers, e.Multipliers);
                break;
            case GlobalPoolLayer g:
                var f = (GlobalPoolLayer)b;
                Assert.Equal((g.Classes, g.Shift), (f.Classes, f.Shift)); Assert.Equal(g.Scale, f.Scale); Assert.Equal(g.Offset, f.Offset);
                break;
        }
    }

    [Fact]
    public void ReaderDerivesShapesAndMemory()
    {
        Network back = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(9, 8, 8, 3, 8, 2, 2, 3)));
        var down = (ConvLayer)back.Layers[7];
        Assert.Equal((8, 8, 4, 4, 2, 3), (down.InHeight, down.InWidth, down.OutHeight, down.OutWidth, down.Bits, down.ZeroCode));
        Assert.Equal(8 * 8 * 8, back.MaxStreamInts);
        Assert.Equal(8 * 8 * 2 * 1, back.MaxActivationWords);
        Assert.Equal(4L * (2 * 512 + 128 + 512) + (4 + 8) * 5, back.WorkingMemoryBytes);   // + logits and the pool's 64-bit sums
    }
}
