using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class BlobRejectionTests
{
    private static byte[] Valid() => BlobWriter.Write(SyntheticNetworks.Make(11, 6, 6, 3, 8, 2, 2, 3));

    private static void Recrc(byte[] b)
    {
        uint crc = Crc32.Compute(b, 16, b.Length - 16);
        BitConverter.GetBytes(crc).CopyTo(b, 12);
    }

    private static BlobFormatException Reject(byte[] blob, long budget = BlobFormat.DefaultMemoryBudget) =>
        Assert.Throws<BlobFormatException>(() => BlobReader.Read(blob, budget));

    [Fact]
    public void TruncatedFileNamesTheSizes()
    {
        byte[] b = Valid();
        var e = Reject(b[..(b.Length - 5)]);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(8, e.Offset);
        Assert.Contains("truncated", Reject(b[..10]).Message);
    }

    [Fact]
    public void BadMagicSaysItIsNotABlob()
    {
        byte[] b = Valid();
        b[0] = (byte)'X';
        var e = Reject(b);
        Assert.Contains("bad magic 'XBNB'", e.Message);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void UnknownVersionNamesTheFix()
    {
        byte[] b = Valid();
        b[4] = 2;
        var e = Reject(b);
        Assert.Contains("unknown format version 2", e.Message);
        Assert.Contains("onebit convert", e.Message);
    }

    [Fact]
    public void CrcMismatchIsReported()
    {
        byte[] b = Valid();
        b[^1] ^= 0x40;
        var e = Reject(b);
        Assert.Contains("CRC mismatch", e.Message);
        Assert.Equal(12, e.Offset);
    }

    [Fact]
    public void InconsistentChannelCountNamesTheLayer()
    {
        Network net = SyntheticNetworks.Make(12, 6, 6, 3, 8, 2, 2, 3);
        var conv = (ConvLayer)net.Layers[2];
        conv.InChannels = 9;
        conv.Weights = SyntheticNetworks.RandomWeights(new Random(1), conv.OutChannels, 3, 9);
        var e = Reject(BlobWriter.Write(net));
        Assert.Equal(2, e.LayerIndex);
        Assert.Contains("expects 9 input channels, the activation has 8", e.Message);
    }

    [Fact]
    public void SetWeightPaddingBitsAreRejected()
    {
        Network net = SyntheticNetworks.Make(13, 6, 6, 3, 8, 2, 2, 3);
        ((ConvLayer)net.Layers[2]).Weights[0] |= 1u << 20;
        var e = Reject(BlobWriter.Write(net));
        Assert.Contains("padding bits", e.Message);
        Assert.Equal(2, e.LayerIndex);
    }

    [Fact]
    public void DecreasingThresholdsAreRejected()
    {
        Network net = SyntheticNetworks.Make(14, 6, 6, 3, 8, 2, 2, 3);
        var q = (QuantizeLayer)net.Layers[1];
        q.Thresholds = new[] { 5, 4, 6 };
        var e = Reject(BlobWriter.Write(net));
        Assert.Contains("decrease", e.Message);
        Assert.Equal(1, e.LayerIndex);
    }

    [Fact]
    public void ImpossibleLayerCountIsRejectedBeforeAllocating()
    {
        byte[] b = Valid();
        BitConverter.GetBytes(0x7FFFFFFFu).CopyTo(b, 16);
        Recrc(b);
        var e = Reject(b);
        Assert.Contains("layer count", e.Message);
        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public void MemoryBeyondTheBudgetIsRefusedWithTheNumbers()
    {
        byte[] b = Valid();
        Network net = BlobReader.Read(b);
        long need = net.ParameterBytes + net.WorkingMemoryBytes;
        var e = Reject(b, need - 1);
        Assert.Contains("needs " + need, e.Message);
        Assert.Contains("budget of " + (need - 1), e.Message);
        Assert.NotNull(BlobReader.Read(b, need));
    }

    [Fact]
    public void MissingStemOrHeadIsRejected()
    {
        Network net = SyntheticNetworks.Make(15, 6, 6, 3, 8, 2, 2, 3);
        net.Layers = net.Layers[..^1];
        Assert.Contains("last layer must be the global pool", Reject(BlobWriter.Write(net)).Message);
        net = SyntheticNetworks.Make(15, 6, 6, 3, 8, 2, 2, 3);
        net.Layers = net.Layers[1..];
        Assert.Contains("first layer must be the stem", Reject(BlobWriter.Write(net)).Message);
    }
}
