using System.Reflection;
using System.Text;
using OneBit.Bench;
using OneBit.BenchImage;
using OneBit.Paths;
using OneBit.PeWriter;
using OneBit.Runtime.Host;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// host-tools/OneBit.BenchImage --model: the blobs must reach OneBit.Bench.pe's resource tables byte for byte, under the
/// ids that the bench computes on nanoCLR (ResourceIds), with the index entry that lists them.
/// </summary>
public class BenchImageTests
{
    private static string BenchBin() =>
        typeof(BenchImageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchBinDir").Value!;

    private static string FashionBlob() =>
        RepositoryPaths.ModelBlob("fashion-mnist-bn8-1-b2");

    /// <summary>A small blob with self-test vectors (as in DeviceBuildTests), or without any.</summary>
    private static string TinyBlob(string dir, int frames)
    {
        var net = SyntheticNetworks.Make(7, height: 8, width: 8, inChannels: 3, baseWidth: 8, blocks: 1, classes: 4);
        var inputs = Enumerable.Range(0, frames).Select(i => SyntheticNetworks.RandomPixels(new Random(i), net.InputBytes)).ToArray();
        var path = Path.Combine(dir, $"tiny{frames}.obnb");
        File.WriteAllBytes(path, TestVectorMaker.WriteWithTestVectors(net, inputs));
        return path;
    }

    /// <summary>Runs OneBit.BenchImage's embedding on the built OneBit.Bench.dll and writes its .pe as it does.</summary>
    private static PeReader WriteBenchPe(string dir, IReadOnlyList<BenchModel> models)
    {
        var dll = Path.Combine(dir, "obj", "OneBit.Bench.dll");
        BenchModels.Embed(Path.Combine(BenchBin(), "OneBit.Bench.dll"), dll, models);
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(TestSupport.CoreLibraryDir());
        options.ReferenceDirectories.Add(BenchBin());
        return new PeReader(OneBit.PeWriter.PeWriter.Write(dll, options));
    }

    [Fact]
    public void ModelBlobsAreByteIdenticalInTheBenchPeResourceTable()
    {
        var dir = TestSupport.TempDir("bench");
        var fashionBytes = File.ReadAllBytes(FashionBlob());
        var fashion = BenchModels.Load("fashion=" + FashionBlob());
        var tiny = BenchModels.Load("tiny_1.b=" + TinyBlob(dir, 2));
        Assert.Equal(fashionBytes, fashion.Blob);

        var pe = WriteBenchPe(dir, new[] { fashion, tiny });

        var file = Assert.Single(pe.ResourceFiles());
        Assert.Equal("OneBit.Bench.Models.nanoresources", file.Name);
        Assert.Equal(3u, file.Count);

        // entries sorted by id, closed by the sentinel (kind 0) whose offset is the end of the data
        var rows = pe.Resources().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal((short)0x7FFF, rows[^1].Id);
        Assert.Equal(0, rows[^1].Kind);
        var data = pe.Layout.TableBytes(PeTable.ResourcesData).ToArray();
        Assert.Equal((uint)data.Length, rows[^1].Offset);
        var expected = new Dictionary<string, byte[]>
        {
            ["fashion"] = fashionBytes,
            ["tiny_1.b"] = tiny.Blob,
            ["#models"] = Encoding.ASCII.GetBytes("fashion\ntiny_1.b\n"),
        };
        foreach (var (name, bytes) in expected)
        {
            // the bench looks the entry up by an id it hashes itself: it must be the one the .pe writer filed it under
            short id = ResourceIds.FromName(name);
            Assert.Equal(ResourceTables.IdFromName(name), id);
            int row = rows.FindIndex(r => r.Id == id);
            Assert.True(row >= 0, $"no resource with id 0x{id:X4} ({name})");
            Assert.Equal(4, rows[row].Kind);    // binary: ResourceManager returns it as byte[]
            var stored = data.AsSpan((int)rows[row].Offset, (int)(rows[row + 1].Offset - rows[row].Offset)).ToArray();
            Assert.Equal(bytes, stored);
        }

        // the fashion blob starts with the OBNB magic where the bench reads it
        Assert.Equal("OBNB", Encoding.ASCII.GetString(fashionBytes, 0, 4));
    }

    [Fact]
    public void ResourceIdsOfTheBenchMatchThePeWriter()
    {
        foreach (var name in new[] { "", "a", "ab", "#models", "fashion", "cifar10-bn20-1-b2", "cifar10-bn8-c14-b2", "model" })
        {
            Assert.Equal(ResourceTables.IdFromName(name), ResourceIds.FromName(name));
        }

        // fixed values, so that both sides cannot drift together: nanoCLR found "fashion" and "#models" under these ids
        // in the end-to-end nanoCLR run of the bench with the Fashion-MNIST blob
        Assert.Equal(unchecked((short)0x82E0), ResourceIds.FromName("fashion"));
        Assert.Equal((short)0x1589, ResourceIds.FromName("#models"));
        Assert.Equal(unchecked((short)0xF69C), ResourceIds.FromName("model"));
    }

    [Fact]
    public void BadModelArgumentsAreRefusedBeforeAnythingIsWritten()
    {
        var dir = TestSupport.TempDir("bench-args");
        Assert.Contains("NAME=path", Assert.Throws<ArgumentException>(() => BenchModels.Load("fashion")).Message);
        Assert.Contains("NAME=path", Assert.Throws<ArgumentException>(() => BenchModels.Load("=x.obnb")).Message);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => BenchModels.Load("a b=" + FashionBlob())).Message);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => BenchModels.Load("#models=" + FashionBlob())).Message);
        Assert.Contains("no test vector", Assert.Throws<ArgumentException>(() => BenchModels.Load("t=" + TinyBlob(dir, 0))).Message);
        Assert.Throws<OneBit.Runtime.Blob.BlobFormatException>(() => BenchModels.Load("r=" + Path.Combine(Path.GetDirectoryName(FashionBlob())!, "README.md")));

        var m = BenchModels.Load("fashion=" + FashionBlob());
        var e = Assert.Throws<ArgumentException>(() => BenchModels.Embed(Path.Combine(BenchBin(), "OneBit.Bench.dll"), Path.Combine(dir, "x.dll"), new[] { m, m }));
        Assert.Contains("given twice", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "x.dll")));
    }
}
