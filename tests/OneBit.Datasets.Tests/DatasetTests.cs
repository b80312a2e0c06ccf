using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using OneBit.Paths;
using Xunit;

namespace OneBit.Datasets.Tests;

[Collection(nameof(SharedPaths))]
public class DatasetTests
{
    [Fact]
    public void CifarBinaryIsConvertedFromPlanarToHwc()
    {
        string dir = TestFiles.TempDir();
        try
        {
            var rec = new byte[2 * 3073];
            for (int r = 0; r < 2; r++)
            {
                rec[r * 3073] = (byte)(r + 3);
                for (int i = 0; i < 3072; i++) rec[r * 3073 + 1 + i] = (byte)(i / 1024 * 10 + r); // channel c → 10c + r
            }
            for (int b = 1; b <= 5; b++) File.WriteAllBytes(Path.Combine(dir, $"data_batch_{b}.bin"), rec);
            var set = CifarBinary.Load(dir, cifar100: false);
            Assert.Equal(10, set.Count);
            Assert.Equal(new[] { 3, 4 }, set.Labels.Take(2));
            Assert.Equal(new byte[] { 1, 11, 21 }, set.Image(1).Slice(3 * 5, 3).ToArray()); // pixel 5 of image 1: R, G, B

            File.WriteAllBytes(Path.Combine(dir, "data_batch_3.bin"), new byte[100]);
            var e = Assert.Throws<DatasetFormatException>(() => CifarBinary.Load(dir, cifar100: false));
            Assert.Contains("data_batch_3.bin", e.Message);
            Assert.Contains("3072", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var b = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(b, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(b, 4 + 4 * dims.Length);
        return b;
    }

    static void WriteGz(string path, byte[] data)
    {
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        gz.Write(data);
    }

    [Fact]
    public void FashionMnistIdxGzipIsReadAndMalformedFilesAreNamed()
    {
        string dir = TestFiles.TempDir();
        try
        {
            var px = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)i).ToArray();
            WriteGz(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Idx(0x803, new[] { 3, 4, 5 }, px));
            WriteGz(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), Idx(0x801, new[] { 3 }, new byte[] { 9, 0, 4 }));
            var set = FashionMnistIdx.Load(dir);
            Assert.Equal((3, 4, 5, 1), (set.Count, set.Height, set.Width, set.Channels));
            Assert.Equal(new[] { 9, 0, 4 }, set.Labels);
            Assert.Equal((byte)20, set.Image(1)[0]);

            WriteGz(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), Idx(0x803, new[] { 3 }, new byte[] { 9, 0, 4 }));
            var e = Assert.Throws<DatasetFormatException>(() => FashionMnistIdx.Load(dir));
            Assert.Contains("train-labels-idx1-ubyte.gz", e.Message);
            Assert.Contains("0x00000801", e.Message);

            var missing = Assert.Throws<DatasetFormatException>(() => FashionMnistIdx.Load(Path.Combine(dir, "nope")));
            Assert.Contains("dataset-fashion-mnist", missing.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void InstalledFashionMnistHasTheStandardSplit()
    {
        Assert.True(File.Exists(Path.Combine(FashionMnistIdx.DefaultDirectory, "train-labels-idx1-ubyte.gz")),
            "this test needs Fashion-MNIST: sudo apt-get install -y dataset-fashion-mnist (.ci/run installs it)");
        var test = FashionMnistIdx.Load(FashionMnistIdx.DefaultDirectory, test: true);
        Assert.Equal((10000, 28, 28, 1), (test.Count, test.Height, test.Width, test.Channels));
        var (train, val) = test.SplitLastPerClass(100);
        Assert.Equal(9000, train.Count);
        Assert.Equal(1000, val.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(100, val.Labels.Count(l => l == c)));
    }

    [Fact]
    public void ImageFolderReadsDirectoriesAndTarGzArchivesAlike()
    {
        string dir = TestFiles.TempDir();
        try
        {
            string root = Path.Combine(dir, "tree", "train");
            foreach (var (cls, color) in new[] { ("cat", (byte)200), ("airplane", (byte)10) })
            {
                Directory.CreateDirectory(Path.Combine(root, cls));
                for (int i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(root, cls, $"{i:D4}.png"), TestFiles.Png(color, (byte)i, 7));
            }
            var fromDir = ImageFolder.Load(root);
            Assert.Equal(new[] { "airplane", "cat" }, fromDir.ClassNames);
            Assert.Equal((6, 3, 4, 3), (fromDir.Count, fromDir.Height, fromDir.Width, fromDir.Channels));
            Assert.Equal(new byte[] { 10, 2, 7 }, fromDir.Image(2).Slice(0, 3).ToArray());

            string tgz = Path.Combine(dir, "set.tar.gz");
            using (var fs = File.Create(tgz))
            using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
                TarFile.CreateFromDirectory(Path.Combine(dir, "tree"), gz, includeBaseDirectory: false);
            var fromTar = ImageFolder.Load(tgz);
            Assert.Equal(fromDir.ClassNames, fromTar.ClassNames);
            Assert.Equal(fromDir.Labels, fromTar.Labels);
            Assert.Equal(fromDir.Pixels, fromTar.Pixels);

            File.WriteAllBytes(Path.Combine(root, "cat", "bad.jpg"), new byte[] { 1, 2, 3 });
            var e = Assert.Throws<DatasetFormatException>(() => ImageFolder.Load(root));
            Assert.Contains("bad.jpg", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void DatasetSpecTakesAnImageFolderPathAndRejectsUnknownNames()
    {
        string dir = TestFiles.TempDir();
        try
        {
            foreach (var (cls, color) in new[] { ("b", (byte)90), ("a", (byte)30) })
            {
                Directory.CreateDirectory(Path.Combine(dir, cls));
                File.WriteAllBytes(Path.Combine(dir, cls, "0.png"), TestFiles.Png(color, 0, 0, 4, 4));
            }
            var set = DatasetSpec.LoadForModel(dir, null, 2, 2, 3);
            Assert.Equal(new[] { "a", "b" }, set.ClassNames);
            Assert.Equal((2, 2, 2), (set.Count, set.Height, set.Width));
            Assert.Equal(new byte[] { 30, 0, 0 }, set.Image(0).Slice(0, 3).ToArray());

            var gray = DatasetSpec.LoadForModel(dir, null, 4, 4, 1);   // a 1-channel model: luminance, 0.299 · 30 → 9
            Assert.Equal((1, (byte)9), (gray.Channels, gray.Image(0)[0]));
            var unknown = Assert.Throws<ArgumentException>(() => DatasetSpec.Load("no-such-set", null));
            Assert.Contains("neither a known name nor an existing path", unknown.Message);
            var cifar = Assert.Throws<ArgumentException>(() => DatasetSpec.Load("cifar10", null));
            Assert.Contains("cifar10:DIR", cifar.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void SharedCifar10JpegArchiveLoads()
    {
        string? shared = null;
        try { shared = SharedPaths.Resolve(null); } catch (DirectoryNotFoundException) { }
        string path = shared is null ? "" : Path.Combine(shared, "datasets", "cifar10-train-jpeg.tar.gz");
        Assert.True(File.Exists(path), $"this test needs the CIFAR-10 JPEG archive of the shared folder (../shared beside the repo, or set {SharedPaths.EnvironmentVariable}): {path}");
        var set = ImageFolder.Load(path);
        Assert.Equal(50000, set.Count);
        Assert.Equal((32, 32, 3), (set.Height, set.Width, set.Channels));
        Assert.Equal("airplane", set.ClassNames[0]);
        Assert.Equal("truck", set.ClassNames[9]);
        Assert.Equal(5000, set.Labels.Count(l => l == 9));
    }
}
