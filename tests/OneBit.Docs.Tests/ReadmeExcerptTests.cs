namespace OneBit.Docs.Tests;

/// <summary>
/// The README's abridged excerpts of committed files (the convert → inspect → verify flow) say what those files say.
/// scripts/regenerate-docs.sh rewrites them (ONEBIT_UPDATE_DOCS=1 runs <see cref="ExcerptsMatchTheirFiles"/> in
/// refresh mode); a line whose source line is gone must be edited by hand.
/// </summary>
public class ReadmeExcerptTests
{
    private static string[] ReadLines(string path) => File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');

    [Fact]
    public void ExcerptsMatchTheirFiles()
    {
        string readme = Repo.PathOf("README.md");
        string[] lines = ReadLines(readme);
        List<ReadmeExcerpt> excerpts = ReadmeExcerpt.FindAll(lines);
        Assert.Contains(excerpts, e => e.Files.Contains("models/fashion-mnist-bn8-1-b2/inspect.txt"));
        Func<string, string[]> source = f => ReadLines(Repo.PathOf(f));

        if (Environment.GetEnvironmentVariable("ONEBIT_UPDATE_DOCS") == "1")
        {
            string[] refreshed = ReadmeExcerpt.Refresh(lines, excerpts.Select(e => e.Check(source).Current));
            File.WriteAllText(readme, string.Join("\n", refreshed));
            lines = ReadLines(readme);
            excerpts = ReadmeExcerpt.FindAll(lines);
        }

        var problems = excerpts.SelectMany(e => e.Check(source).Problems).ToList();
        Assert.True(problems.Count == 0, "README.md excerpts differ from their files (scripts/regenerate-docs.sh refreshes them):\n" + string.Join("\n", problems));
        Assert.True(excerpts.Sum(e => e.Segments.Sum(s => s.Count)) >= 8, "the excerpts were expected to hold at least 8 lines");
    }

    private static readonly string[] Source =
    {
        "model        m",
        "  # kind       input      bits",
        "  0 stem       28x28x1    8",
        "  1 quantize   28x28x16   2",
        "binary MACs per frame   9,175,936 (weight bit x activation)",
        "device heap             49,568 bytes",
        "device heap, whole frame 184,816 bytes",
    };

    private static string[] Document(params string[] block) =>
        new[] { "text", "<!-- excerpt of m/inspect.txt -->", "```", "$ onebit inspect m.obnb" }.Concat(block).Concat(new[] { "```" }).ToArray();

    [Fact]
    public void AnExactExcerptPasses()
    {
        string[] doc = Document("  0 stem       28x28x1 ...", "  ...", "device heap             49,568 bytes");
        ReadmeExcerpt e = Assert.Single(ReadmeExcerpt.FindAll(doc));
        Assert.Empty(e.Check(_ => Source).Problems);
    }

    [Fact]
    public void ADriftedNumberIsFoundAndRefreshed()
    {
        string[] doc = Document("  0 stem       28x28x1 ...", "device heap             49,632 bytes", "device heap, whole frame 184,816 bytes");
        ReadmeExcerpt e = Assert.Single(ReadmeExcerpt.FindAll(doc));
        var (problems, current) = e.Check(_ => Source);
        Assert.Contains("49,632", Assert.Single(problems));
        string[] refreshed = ReadmeExcerpt.Refresh(doc, new[] { current });
        Assert.Equal("device heap             49,568 bytes", refreshed[5]);
        Assert.Empty(Assert.Single(ReadmeExcerpt.FindAll(refreshed)).Check(_ => Source).Problems);
    }

    [Fact]
    public void ALineTheSourceNoLongerHasIsReported()
    {
        string[] doc = Document("streaming working memory  30,744 bytes");
        Assert.Contains("no line \"streaming working memory\"", Assert.Single(Assert.Single(ReadmeExcerpt.FindAll(doc)).Check(_ => Source).Problems));
    }

    [Fact]
    public void LinesOutOfTheSourcesOrderAreReported()
    {
        string[] doc = Document("device heap             49,568 bytes", "  0 stem       28x28x1 ...");
        Assert.Single(Assert.Single(ReadmeExcerpt.FindAll(doc)).Check(_ => Source).Problems);
    }
}
