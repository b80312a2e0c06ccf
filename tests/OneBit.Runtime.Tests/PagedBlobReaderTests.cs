using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>BlobReader over an IBlobSource in pages (the device's route): the same networks and the same rejections as
/// the whole-array reader, one page at a time, test-vector pixels left in the source.</summary>
public class PagedBlobReaderTests
{
    /// <summary>Serves copies like the device's resource reads and records their sizes.</summary>
    private sealed class RecordingSource : IBlobSource
    {
        private readonly ByteArrayBlobSource _inner;
        public int Reads, LargestRead;

        public RecordingSource(byte[] data) => _inner = new ByteArrayBlobSource(data);
        public int Length => _inner.Length;

        public byte[] Read(int offset, int count)
        {
            Reads++;
            LargestRead = Math.Max(LargestRead, count);
            return _inner.Read(offset, count);
        }
    }

    private static string Outcome(Func<Network> read)
    {
        try
        {
            Network net = read();
            var runner = new NetworkRunner(net);
            runner.Run(new byte[net.InputBytes]);
            return $"parsed {net.Layers.Length} layers, {net.ParameterBytes} B, logits {string.Join(",", runner.Logits)}, vectors " +
                string.Join(";", net.TestVectors.Select(v => $"{v.ExpectedClass}/{v.LogitsCrc:X8}@{v.PixelOffset}"));
        }
        catch (BlobFormatException e)
        {
            return $"rejected at {e.Offset} layer {e.LayerIndex}: {e.Message}";
        }
    }

    [Fact]
    public void MutantsGetTheSameVerdictPagedAsWhole()
    {
        var rng = new Random(77);
        byte[][] seeds =
        {
            TestVectorMaker.WriteWithTestVectors(SyntheticNetworks.Make(31, 5, 5, 3, 8, 2, 2, 3, 4), new[] { SyntheticNetworks.RandomPixels(rng, 75), SyntheticNetworks.RandomPixels(rng, 75) }),
            BlobWriter.Write(SyntheticNetworks.Make(32, 4, 3, 3, 8, 2, 8, 0, 3, perChannel: true, compactAffine: true)),
        };
        int[] pages = { 16, 37, 1024 };
        int parsed = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] b = BlobFuzzTests.Mutate(rng, seeds[i % seeds.Length]);
            if (i % 2 == 0 && b.Length >= 16) BitConverter.GetBytes(Crc32.Compute(b, 16, b.Length - 16)).CopyTo(b, 12);
            string whole = Outcome(() => BlobReader.Read(b, long.MaxValue));
            string paged = Outcome(() => BlobReader.Read(new ByteArrayBlobSource(b), long.MaxValue, pages[i % pages.Length]));
            Assert.Equal(whole, paged);
            if (whole.StartsWith("parsed")) parsed++;
        }
        Assert.True(parsed > 100, $"only {parsed} parsed");
    }

    public static IEnumerable<object[]> CommittedModels() =>
        new[] { "cifar10-bn8-c16-i16-b2", "cifar10-bn8-c14-b2", "fashion-mnist-bn8-1-b2", "cifar10-bn20-1-b2-affine" }.Select(m => new object[] { m });

    [Theory]
    [MemberData(nameof(CommittedModels))]
    public void CommittedModelsReadInPagesRunTheirSelfTestFromTheSource(string name)
    {
        byte[] blob = File.ReadAllBytes(RepositoryPaths.ModelBlob(name));
        const int page = 1024;
        var source = new RecordingSource(blob);
        Network paged = BlobReader.Read(source, long.MaxValue, page);
        Network whole = BlobReader.Read(blob, long.MaxValue);

        // One CRC pass and one parsing pass, a page at a time; the pixels of the test vectors are not read.
        int pages = (blob.Length + page - 1) / page;
        Assert.InRange(source.Reads, pages, 2 * pages + 1);
        Assert.Equal(page, source.LargestRead);
        Assert.All(paged.TestVectors, v => Assert.Null(v.Pixels));
        Assert.Equal(whole.TestVectors.Select(v => v.PixelOffset), paged.TestVectors.Select(v => v.PixelOffset));
        Assert.Equal(whole.ParameterBytes, paged.ParameterBytes);

        var runner = new StreamingRunner(paged);
        Assert.Null(SelfTest.Run(runner, source));
        var e = Assert.Throws<ArgumentNullException>(() => SelfTest.Run(runner));
        Assert.Contains("test vector 0 has its pixels in the blob", e.Message);
        paged.TestVectors[^1].ExpectedClass = (paged.TestVectors[^1].ExpectedClass + 1) % paged.ClassCount;
        Assert.StartsWith($"test vector {paged.TestVectors.Length - 1}: expected class", SelfTest.Run(runner, source));
    }
}
