using OneBit.Conversion.Inspection;
using OneBit.Runtime.Blob;

namespace OneBit.Docs.Tests;

/// <summary>
/// Every committed models/NAME/inspect.txt is what `onebit inspect` prints for models/NAME/NAME.obnb today.
/// scripts/regenerate-docs.sh is the one way to refresh them.
/// </summary>
public class ModelInspectDumpTests
{
    public static IEnumerable<object[]> Models() => Repo.ModelNames().Select(n => new object[] { n });

    [Fact]
    public void EveryModelFolderHasABlobAndAnInspectDump()
    {
        string[] folders = Directory.GetDirectories(Repo.PathOf("models")).Select(d => Path.GetFileName(d)!).ToArray();
        Assert.NotEmpty(folders);
        Assert.Equal(folders.OrderBy(n => n, StringComparer.Ordinal), Repo.ModelNames());
        Assert.All(folders, n => Assert.True(File.Exists(Repo.PathOf($"models/{n}/inspect.txt")), $"models/{n}/inspect.txt is missing"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void InspectDumpMatchesTheBlob(string name)
    {
        byte[] blob = File.ReadAllBytes(Repo.PathOf($"models/{name}/{name}.obnb"));
        string expected = BlobInspector.Text(BlobReader.Read(blob), blob.Length).Replace("\r\n", "\n");
        string committed = File.ReadAllText(Repo.PathOf($"models/{name}/inspect.txt")).Replace("\r\n", "\n");
        Assert.True(expected == committed, $"models/{name}/inspect.txt is not what `onebit inspect` prints now; run scripts/regenerate-docs.sh.\n"
            + TextDiff.FirstDifference(committed, expected));
    }
}
