using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;
using OneBit.Runtime.Tests;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The C side checks every size against the lengths it is given: a buffer one element too short, a row range outside
/// the tensor, a ring of no rows, a field outside the contract or a missing array gives an ArgumentException naming the
/// problem, and the output buffer is left exactly as it was (nothing is written before the checks pass).
/// </summary>
public class NativeArgumentCheckTests
{
    private static readonly LayerKernels K = Native.Kernels("portable");

    private static void AssertRejected<T>(T[] output, string expected, Action call)
    {
        T[] before = (T[])output.Clone();
        var e = Assert.Throws<ArgumentException>(call);
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, output);
    }

    private const string Short = "shorter", Rows = "row range", Layer = "outside the contract", Null = "null";

    [Fact]
    public void ConvRejectsShortBuffersAndBadFields()
    {
        var rng = new Random(1);
        ConvLayer L = ConvKernelTests.MakeLayer(rng, 33, 5, 6, 7, 3, 2, 1, 2, 3);
        int rowWords = 7 * 2 * 2, rowOut = L.OutWidth * 5;
        var planes = new uint[6 * rowWords];
        var acc = Enumerable.Range(0, L.OutHeight * rowOut).ToArray();
        K.Conv(L, planes, 6, acc, L.OutHeight, 0, L.OutHeight);   // the exact sizes pass
        Assert.All(acc, v => Assert.NotEqual(-1, v));
        acc = Enumerable.Range(0, L.OutHeight * rowOut).ToArray();
        AssertRejected(acc, Short, () => K.Conv(L, planes, 6, acc[..^1], L.OutHeight, 0, L.OutHeight));
        var shortAcc = acc[..^1];
        AssertRejected(shortAcc, Short, () => K.Conv(L, planes, 6, shortAcc, L.OutHeight, 0, L.OutHeight));
        AssertRejected(acc, Short, () => K.Conv(L, planes[..^1], 6, acc, L.OutHeight, 0, L.OutHeight));
        AssertRejected(acc, Short, () => K.Conv(L, planes, 7, acc, L.OutHeight, 0, L.OutHeight));   // a ring larger than the buffer
        AssertRejected(acc, Rows, () => K.Conv(L, planes, 6, acc, L.OutHeight, 0, L.OutHeight + 1));
        AssertRejected(acc, Rows, () => K.Conv(L, planes, 0, acc, L.OutHeight, 0, 1));
        AssertRejected(acc, Rows, () => K.Conv(L, planes, 6, acc, L.OutHeight, 2, 1));
        uint[] weights = L.Weights;
        L.Weights = weights[..^1];
        AssertRejected(acc, Short, () => K.Conv(L, planes, 6, acc, L.OutHeight, 0, L.OutHeight));
        L.Weights = null;   // taken over by another set
        AssertRejected(acc, Null, () => K.Conv(L, planes, 6, acc, L.OutHeight, 0, L.OutHeight));
        L.Weights = weights;
        var bad = ConvKernelTests.MakeLayer(rng, 33, 5, 6, 7, 3, 2, 1, 3, 3);   // 3-bit planes
        AssertRejected(acc, Layer, () => K.Conv(bad, planes, 6, acc, L.OutHeight, 0, L.OutHeight));
    }

    [Fact]
    public void QuantizeRejectsShortBuffersAndBadFields()
    {
        var rng = new Random(2);
        QuantizeLayer q = TunedKernelTests.RandomThresholdLayer(rng, 40, 2, 2, 3, 4);
        int[] input = new int[3 * 4 * 40];
        var planes = new uint[3 * 4 * 2 * 2];
        K.Quantize(q, input, 3, planes, 3, 0, 3);
        AssertRejected(planes, Short, () => K.Quantize(q, input[..^1], 3, planes, 3, 0, 3));
        var shortPlanes = planes[..^1];
        AssertRejected(shortPlanes, Short, () => K.Quantize(q, input, 3, shortPlanes, 3, 0, 3));
        AssertRejected(planes, Rows, () => K.Quantize(q, input, 3, planes, 3, -1, 3));
        int[] thresholds = q.Thresholds;
        q.Thresholds = thresholds[..^1];
        AssertRejected(planes, Short, () => K.Quantize(q, input, 3, planes, 3, 0, 3));
        q.Thresholds = thresholds;
        q.Signs = q.Signs[..^1];
        AssertRejected(planes, Short, () => K.Quantize(q, input, 3, planes, 3, 0, 3));

        QuantizeLayer a = SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromAccumulator, 4, 15, 40, true, 1000);
        a.Mode = QuantizeLayer.AffineMode; a.Height = 3; a.Width = 4; a.Channels = 40; a.Shift = 12;
        a.Multipliers = new int[40];
        a.Offsets = new long[39];
        var affinePlanes = new uint[3 * 4 * 4 * 2];
        AssertRejected(affinePlanes, Short, () => K.Quantize(a, input, 3, affinePlanes, 3, 0, 3));
        a.Offsets = null;
        AssertRejected(affinePlanes, Null, () => K.Quantize(a, input, 3, affinePlanes, 3, 0, 3));
        a.Offsets = new long[40];
        a.Shift = 63;
        AssertRejected(affinePlanes, Layer, () => K.Quantize(a, input, 3, affinePlanes, 3, 0, 3));
    }

    [Fact]
    public void StemRejectsShortBuffers()
    {
        var rng = new Random(3);
        var L = new StemLayer
        {
            InChannels = 3, OutChannels = 16, KernelSize = 3, PadTop = 1, PadLeft = 1, Height = 5, Width = 4, Shift = 3,
            PixelScale = new[] { 1, 2, 3 }, WeightSumScale = new[] { 4, 5, 6 }, Weights = SyntheticNetworks.RandomWeights(rng, 16, 3, 3),
        };
        byte[] pixels = SyntheticNetworks.RandomPixels(rng, 5 * 4 * 3);
        var stream = new int[2 * 4 * 16];
        K.Stem(L, pixels, stream, 2, 0, 5);
        AssertRejected(stream, Short, () => K.Stem(L, pixels[..^1], stream, 2, 0, 5));
        var shortStream = stream[..^1];
        AssertRejected(shortStream, Short, () => K.Stem(L, pixels, shortStream, 2, 0, 5));
        AssertRejected(stream, Short, () => K.Stem(L, pixels, stream, 3, 0, 5));
        L.WeightSumScale = new[] { 4, 5 };
        AssertRejected(stream, Short, () => K.Stem(L, pixels, stream, 2, 0, 5));
    }

    [Fact]
    public void ResidualRejectsShortBuffersOnBothStreamWidths()
    {
        var rng = new Random(4);
        ResidualLayer L = TunedKernelTests.RandomResidual(rng, ResidualLayer.AvgPool3x3Stride2, 1, 7, 5, 16, 32, true, 4);
        int inRow = 5 * 16, outRow = L.OutWidth * 32;
        var streamIn = new int[3 * inRow];
        var acc = new int[outRow];
        var streamOut = new int[2 * outRow];
        K.Residual(L, streamIn, 3, acc, 1, streamOut, 2, 0, L.OutHeight);
        AssertRejected(streamOut, Short, () => K.Residual(L, streamIn[..^1], 3, acc, 1, streamOut, 2, 0, L.OutHeight));
        AssertRejected(streamOut, Short, () => K.Residual(L, streamIn, 3, acc[..^1], 1, streamOut, 2, 0, L.OutHeight));
        var shortOut = streamOut[..^1];
        AssertRejected(shortOut, Short, () => K.Residual(L, streamIn, 3, acc, 1, shortOut, 2, 0, L.OutHeight));
        AssertRejected(streamOut, Rows, () => K.Residual(L, streamIn, 3, acc, 0, streamOut, 2, 0, L.OutHeight));

        var shortIn = new short[3 * inRow];
        var shortRing = new short[2 * outRow];
        K.Residual(L, shortIn, 3, acc, 1, shortRing, 2, 0, L.OutHeight);
        AssertRejected(shortRing, Short, () => K.Residual(L, shortIn[..^1], 3, acc, 1, shortRing, 2, 0, L.OutHeight));
        var shorter = shortRing[..^1];
        AssertRejected(shorter, Short, () => K.Residual(L, shortIn, 3, acc, 1, shorter, 2, 0, L.OutHeight));

        L.Multipliers = L.Multipliers[..^1];   // per channel, one short
        AssertRejected(streamOut, Short, () => K.Residual(L, streamIn, 3, acc, 1, streamOut, 2, 0, L.OutHeight));
    }

    [Fact]
    public void GlobalPoolRejectsShortBuffers()
    {
        var L = new GlobalPoolLayer { Classes = 10, Shift = 2, Height = 4, Width = 3, Scale = new int[10], Offset = new long[10] };
        var acc = new int[2 * 3 * 10];
        var sums = new long[10];
        K.Pool(L, acc, 2, sums, 0, 4);
        var shortSums = new long[9];
        AssertRejected(shortSums, Short, () => K.Pool(L, acc, 2, shortSums, 0, 4));
        AssertRejected(sums, Short, () => K.Pool(L, acc[..^1], 2, sums, 0, 4));
        var logits = new int[9];
        AssertRejected(logits, Short, () => K.PoolFinish(L, sums, logits));
        L.Offset = new long[9];
        var full = new int[10];
        AssertRejected(full, Short, () => K.PoolFinish(L, sums, full));
    }
}
