using OneBit.Conversion.Folding;
using OneBit.Conversion.Inspection;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

/// <summary>
/// `inspect --format text` of small blobs against committed golden files (Golden/*.txt). To regenerate after an
/// intended change: ONEBIT_UPDATE_GOLDEN=1 dotnet test tests/OneBit.Conversion.Tests --filter InspectGolden
/// </summary>
public class InspectGoldenTests
{
    public static IEnumerable<object[]> Blobs()
    {
        yield return new object[] { "synthetic-srelu-2bit" };
        yield return new object[] { "synthetic-bn-8bit" };
        yield return new object[] { "runtime-random-1bit" };
    }

    private static byte[] Make(string name) => name switch
    {
        "synthetic-srelu-2bit" => TestVectorMaker.WriteWithTestVectors(ModelFolder.Fold(SyntheticExports.Make(1, "resnet_srelu", 2, size: 8, width: 16, blocks: 2, classes: 10)),
            new[] { SyntheticNetworks.RandomPixels(new Random(1), 192) }),
        "synthetic-bn-8bit" => BlobWriter.Write(ModelFolder.Fold(SyntheticExports.Make(2, "resnet_bn", 8, size: 7, width: 8, blocks: 2, classes: 3, strideTwoPad: 0))),
        "runtime-random-1bit" => BlobWriter.Write(SyntheticNetworks.Make(3, 5, 5, 1, 33, 2, 1, 1, 4, perChannel: true)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Blobs))]
    public void InspectTextMatchesTheGoldenFile(string name)
    {
        byte[] blob = Make(name);
        string text = BlobInspector.Text(BlobReader.Read(blob), blob.Length).Replace("\r\n", "\n");
        string golden = Path.Combine(GoldenDirectory(), name + ".txt");
        if (Environment.GetEnvironmentVariable("ONEBIT_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, text);
        Assert.True(File.Exists(golden), $"missing golden file {golden}: run with ONEBIT_UPDATE_GOLDEN=1 once");
        Assert.Equal(File.ReadAllText(golden).Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void InspectCountsMacsAndMemoryOfAKnownNetwork()
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(4, 8, 8, 3, 16, 1, 2, 3, 10)));
        var rows = BlobInspector.Rows(net);
        // stem 8·8·16·9·3, block conv 8·8·16·9·16 twice, head 8·8·10·16.
        Assert.Equal(8L * 8 * 16 * 9 * 3 + 2L * 8 * 8 * 16 * 9 * 16 + 8L * 8 * 10 * 16, rows.Sum(r => r.BinaryMacs));
        Assert.Equal(4L * 8 * 8 * 16 * 2 + 4L * 8 * 8 * 2 + 4L * 8 * 8 * 16 + (4 + 8) * 10, net.WorkingMemoryBytes);
    }

    private static string GoldenDirectory([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
