using System.Text.RegularExpressions;

namespace OneBit.Docs.Tests;

/// <summary>
/// No file cites a document the repository does not contain: every "X.md" mention names a file of the repository,
/// every "X.md §N" (also §N–M, §N/§M, §N, §M) a numbered heading "## N." of that file, every relative Markdown link
/// an existing path inside the repository. Only `../shared/…` may point outside: that folder is the external material.
/// </summary>
public partial class DocumentCitationTests
{
    private static readonly string[] Scanned = { ".cs", ".md", ".txt", ".csproj", ".nfproj", ".props", ".targets", ".sh", ".resx" };

    [GeneratedRegex(@"(?<![\w./-])(?<path>(?:\.\./shared/)?(?:[\w.-]+/)*[\w.-]+\.md)`?(?:'s)?(?<sections>\s*§\d+(?:\s*(?:[–-]|/|,\s*(?=§))\s*§?\d+)*)?")]
    private static partial Regex Citation();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"^#{1,6}\s+(\d+)\.", RegexOptions.Multiline)]
    private static partial Regex NumberedHeading();

    [GeneratedRegex(@"\]\((?<target>[^)\s#]+)(?:#[^)]*)?\)")]
    private static partial Regex MarkdownLink();

    /// <summary>Every citation in <paramref name="text"/> (of the file at <paramref name="from"/>) that does not resolve.</summary>
    internal static IEnumerable<string> BrokenCitations(string from, string text)
    {
        foreach (Match m in Citation().Matches(text))
        {
            string cited = m.Groups["path"].Value;
            if (cited.StartsWith("../shared/", StringComparison.Ordinal)) continue;   // the external material, by design
            int line = text.Take(m.Index).Count(c => c == '\n') + 1;
            string where = $"{Repo.Relative(from)}:{line}: \"{m.Value.Trim()}\"";
            string? target = Resolve(from, cited);
            if (target == null) { yield return where + $": no file {cited} in the repository"; continue; }
            if (!m.Groups["sections"].Success) continue;
            var headings = NumberedHeading().Matches(File.ReadAllText(target)).Select(h => int.Parse(h.Groups[1].Value)).ToHashSet();
            foreach (int section in Sections(m.Groups["sections"].Value))
                if (!headings.Contains(section))
                    yield return where + $": {Repo.Relative(target)} has no heading \"## {section}.\"";
        }
    }

    /// <summary>The sections a citation names: "§3–4" is 3 and 4, "§2–§6" 2…6, "§1/§4" and "§3, §8" both.</summary>
    private static IEnumerable<int> Sections(string spec)
    {
        Match[] numbers = Number().Matches(spec).ToArray();
        for (int i = 0; i < numbers.Length; i++)
        {
            int first = int.Parse(numbers[i].Value);
            yield return first;
            if (i + 1 == numbers.Length) break;
            int gapStart = numbers[i].Index + numbers[i].Length;
            string between = spec.Substring(gapStart, numbers[i + 1].Index - gapStart);
            if (between.Contains('–') || between.Contains('-'))
                for (int s = first + 1; s < int.Parse(numbers[i + 1].Value); s++) yield return s;
        }
    }

    /// <summary>
    /// A cited document: a path relative to the citing file or the repository root, or else the one file of the
    /// repository whose path ends with the cited one (project folders may be named without their "OneBit." prefix:
    /// "HostKernels/README.md").
    /// </summary>
    private static string? Resolve(string from, string cited)
    {
        string dir = Path.GetDirectoryName(from)!;
        foreach (string candidate in new[] { Path.Combine(dir, cited), Repo.PathOf(cited) })
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        string name = cited[(cited.LastIndexOf('/') + 1)..];
        string[] matching = Repo.Files(name).Where(f =>
        {
            string relative = "/" + Repo.Relative(f);
            return relative.EndsWith("/" + cited, StringComparison.Ordinal) || relative.Replace("/OneBit.", "/").EndsWith("/" + cited, StringComparison.Ordinal);
        }).ToArray();
        return matching.Length == 1 ? matching[0] : null;
    }

    /// <summary>The scanned files; this project's own sources are left out, as they hold broken citations on purpose.</summary>
    private static IEnumerable<string> ScannedFiles() =>
        Repo.Files(Scanned).Where(f => !Repo.Relative(f).StartsWith("tests/OneBit.Docs.Tests/", StringComparison.Ordinal));

    [Fact]
    public void EveryDocumentAndSectionCitedExists()
    {
        var broken = new List<string>();
        int citations = 0;
        foreach (string file in ScannedFiles())
        {
            string text = File.ReadAllText(file);
            citations += Citation().Matches(text).Count;
            broken.AddRange(BrokenCitations(file, text));
        }
        Assert.True(citations > 100, $"only {citations} citations found: is the scan looking at the repository?");
        Assert.True(broken.Count == 0, "citations of documents or sections the repository does not contain:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void EveryRelativeMarkdownLinkResolvesInsideTheRepository()
    {
        var broken = new List<string>();
        foreach (string file in Repo.Files(".md"))
        {
            string text = File.ReadAllText(file);
            foreach (Match m in MarkdownLink().Matches(text))
            {
                string target = m.Groups["target"].Value;
                if (target.Contains("://") || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                bool inside = full.StartsWith(Repo.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || full == Repo.Root;
                if (!inside || !(File.Exists(full) || Directory.Exists(full)))
                    broken.Add($"{Repo.Relative(file)}: ({target})" + (inside ? " does not exist" : " points outside the repository"));
            }
        }
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    // The checker itself must be able to fail: a citation of a missing section, of a missing file, of a range with a gap.
    [Theory]
    [InlineData("see CONTRACT.md §4", 0)]
    [InlineData("see CONTRACT.md §2–§6 and CONTRACT.md §1/§4, CONTRACT.md §3, §8", 0)]
    [InlineData("see CONTRACT.md §9", 1)]
    [InlineData("see CONTRACT.md §7–10", 2)]
    [InlineData("see NOWHERE.md", 1)]
    [InlineData("see Importers/README.md and HostKernels/README.md", 0)]
    [InlineData("see Kernels/README.md", 1)]
    [InlineData("see ../shared/DESIGN.md §9 (external)", 0)]
    [InlineData("see `CONTRACT.md` §12", 1)]
    public void TheCheckerFindsWhatIsMissing(string text, int expectedBroken)
    {
        Assert.Equal(expectedBroken, BrokenCitations(Repo.PathOf("README.md"), text).Count());
    }
}
