using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>LAYR record kind 7, the compact affine quantizer (CONTRACT.md §8): round trip, size, and rejection.</summary>
public class CompactAffineRecordTests
{
    /// <summary>40 → 80 channels, every quantizer per-channel affine in kind 7 form (offsets multiples of 2^3).</summary>
    private static Network Net(int seed, int bits = 8) =>
        SyntheticNetworks.Make(seed, 5, 5, 3, 40, 2, bits, 0, 4, perChannel: true, compactAffine: true);

    private static int FirstCompact(Network net) =>
        Array.FindIndex(net.Layers, l => l is QuantizeLayer { CompactAffine: true });

    [Theory]
    [InlineData(31, 8)]
    [InlineData(32, 4)]
    public void CompactRecordsRoundTripByteIdentically(int seed, int bits)
    {
        Network net = Net(seed, bits);
        byte[] blob = TestVectorMaker.WriteWithTestVectors(net, new[] { SyntheticNetworks.RandomPixels(new Random(seed), 75) });
        Network back = BlobReader.Read(blob);
        List<RawBlob.Section> sections = RawBlob.Sections(blob);
        int compact = 0;
        for (int i = 0; i < net.Layers.Length; i++)
        {
            if (net.Layers[i] is not QuantizeLayer { Mode: QuantizeLayer.AffineMode } q) continue;
            Assert.Equal(LayerKind.QuantizeCompactAffineRecord, sections[RawBlob.LayerSection(i)].Payload[0]);
            var r = (QuantizeLayer)back.Layers[i];
            Assert.True(r.CompactAffine);
            Assert.Equal((q.Shift, q.OffsetShift, q.Rows), (r.Shift, r.OffsetShift, r.Rows));
            Assert.Equal(q.Multipliers, r.Multipliers);
            Assert.Equal(q.Offsets, r.Offsets);
            compact++;
        }
        Assert.Equal(5, compact);
        Assert.Equal(blob, BlobWriter.Write(back));
    }

    /// <summary>Kind 7 stores 6 bytes per row and one more int32 (k) than kind 6's 12 bytes per row; memory is the same.</summary>
    [Fact]
    public void CompactRecordsTakeSixBytesPerChannel()
    {
        Network net = Net(33);
        byte[] compact = BlobWriter.Write(net);
        long rows = 0, records = 0;
        foreach (QuantizeLayer q in net.Layers.OfType<QuantizeLayer>())
        {
            q.CompactAffine = false;
            rows += q.Rows;
            records++;
        }
        byte[] wide = BlobWriter.Write(net);
        Assert.Equal(6 * rows - 4 * records, wide.Length - compact.Length);   // 6·rows is a multiple of 4 here: no padding
        Assert.Equal(BlobReader.Read(wide).ParameterBytes, BlobReader.Read(compact).ParameterBytes);   // same arrays in memory
    }

    [Fact]
    public void ExtremeFieldValuesRoundTrip()
    {
        Network net = Net(34);
        var q = (QuantizeLayer)net.Layers[FirstCompact(net)];
        int k = BlobFormat.MaxOffsetShift;
        int[] edge = { BlobFormat.Min24, BlobFormat.Max24, 0, -1, 1 };
        q.Shift = BlobFormat.MaxShift;
        q.OffsetShift = k;
        q.Multipliers = Enumerable.Range(0, q.Rows).Select(i => edge[i % edge.Length]).ToArray();
        q.Offsets = Enumerable.Range(0, q.Rows).Select(i => (long)edge[(i + 1) % edge.Length] << k).ToArray();
        byte[] blob = BlobWriter.Write(net);
        var r = (QuantizeLayer)BlobReader.Read(blob).Layers[FirstCompact(net)];
        Assert.Equal(q.Multipliers, r.Multipliers);
        Assert.Equal(q.Offsets, r.Offsets);
        Assert.Equal(long.MinValue, r.Offsets.Min());   // −2^23·2^40
        Assert.Equal(blob, BlobWriter.Write(BlobReader.Read(blob)));
    }

    [Fact]
    public void WriterRefusesValuesThatDoNotFit()
    {
        void Refused(Action<QuantizeLayer> edit, string message)
        {
            Network net = Net(35);
            edit((QuantizeLayer)net.Layers[FirstCompact(net)]);
            Assert.Contains(message, Assert.Throws<ArgumentException>(() => BlobWriter.Write(net)).Message);
        }
        Refused(q => q.Multipliers[2] = 1 << 23, "multiplier 8388608 of row 2 does not fit signed 24 bits");
        Refused(q => q.Multipliers[0] = BlobFormat.Min24 - 1, "does not fit signed 24 bits");
        Refused(q => q.Offsets[1] += 1, "is not a multiple of 2^3");
        Refused(q => q.Offsets[3] = 1L << 26, "offset / 2^k 8388608 of row 3");
        Refused(q => q.OffsetShift = 41, "offset shift 41 outside 0..40");
    }

    /// <summary>Reads a blob whose first compact record's payload was replaced by <paramref name="edit"/>(payload);
    /// the reader must reject it, naming that layer.</summary>
    private static BlobFormatException RejectedWithPayload(int seed, Func<byte[], byte[]> edit)
    {
        Network net = Net(seed);
        byte[] blob = BlobWriter.Write(net);
        int layer = FirstCompact(net);
        List<RawBlob.Section> sections = RawBlob.Sections(blob);
        int at = RawBlob.LayerSection(layer);
        sections[at] = sections[at] with { Payload = edit((byte[])sections[at].Payload.Clone()) };
        var e = Assert.Throws<BlobFormatException>(() => BlobReader.Read(RawBlob.Build(blob, sections)));
        Assert.Equal(layer, e.LayerIndex);
        return e;
    }

    [Fact]
    public void TruncatedCompactRecordIsRejectedAtEveryLength()
    {
        Network net = Net(36);
        int length = RawBlob.Sections(BlobWriter.Write(net))[RawBlob.LayerSection(FirstCompact(net))].Payload.Length;
        for (int cut = 0; cut < length; cut++)
        {
            int keep = cut;
            Assert.Contains("truncated", RejectedWithPayload(36, p => p[..keep]).Message);
        }
    }

    /// <summary>Payload offsets: kind 0, source 4, bits 6, z 8, rows 10, shift 12, k 16, M 20, B' 20 + 3·rows.</summary>
    [Theory]
    [InlineData(16, 41u, 4, "quantize offset shift 41 outside 0..40")]
    [InlineData(16, 0xFFFFFFFFu, 4, "quantize offset shift -1 outside 0..40")]
    [InlineData(12, 63u, 4, "quantize shift 63 outside 0..62")]
    [InlineData(6, 3u, 2, "activation bits 3 unsupported")]
    [InlineData(10, 7u, 2, "threshold rows 7 must be 1 or the channel count 40")]
    public void OutOfRangeFieldsAreRejected(int at, uint value, int size, string message)
    {
        var e = RejectedWithPayload(37, p => { BitConverter.GetBytes(value).AsSpan(0, size).CopyTo(p.AsSpan(at)); return p; });
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ExtraBytesAfterTheOffsetsAreRejected()
    {
        var e = RejectedWithPayload(38, p => p.Concat(new byte[3]).ToArray());
        Assert.Contains("3 bytes more than its fields use", e.Message);
    }
}
