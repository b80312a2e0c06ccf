using System.Text.RegularExpressions;

namespace OneBit.Docs.Tests;

/// <summary>
/// An abridged excerpt of committed output files in a Markdown code block, announced by a comment on the line before
/// the opening fence: <c>&lt;!-- excerpt of models/X/inspect.txt models/X/verify.txt --&gt;</c>.
/// In the block, "$ " lines are commands (a line ending in a backslash continues on the next); the output lines after
/// each command that has any are an excerpt of the next file named in the comment, in that file's order; "..." alone
/// elides lines and a line ending in " ..." is the start of a longer line.
/// <para>Each excerpt line is matched to its source line by a key (the words before the first number, or the row
/// number and kind of a table row), so <see cref="Refresh"/> can rewrite the excerpt after the source changes.</para>
/// </summary>
internal sealed partial class ReadmeExcerpt
{
    private const string Ellipsis = " ...";

    [GeneratedRegex(@"^<!--\s*excerpt of\s+(?<files>.+?)\s*-->\s*$")]
    private static partial Regex Marker();

    /// <summary>Line index of the first line inside the code block.</summary>
    public int FirstLine { get; }
    public string[] Files { get; }
    /// <summary>Per output segment: (line index in the document, text) of each excerpt line.</summary>
    public List<List<(int Line, string Text)>> Segments { get; } = new();

    private ReadmeExcerpt(int firstLine, string[] files)
    {
        FirstLine = firstLine;
        Files = files;
    }

    public static List<ReadmeExcerpt> FindAll(string[] lines)
    {
        var found = new List<ReadmeExcerpt>();
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            Match m = Marker().Match(lines[i]);
            if (!m.Success) continue;
            if (!lines[i + 1].StartsWith("```", StringComparison.Ordinal))
                throw new FormatException($"line {i + 1}: an excerpt comment must stand right before a code block");
            var excerpt = new ReadmeExcerpt(i + 2, m.Groups["files"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            List<(int, string)>? segment = null;
            bool continuation = false;
            for (int j = i + 2; j < lines.Length && !lines[j].StartsWith("```", StringComparison.Ordinal); j++)
            {
                string line = lines[j];
                if (line.StartsWith("$ ", StringComparison.Ordinal) || continuation)
                {
                    continuation = line.EndsWith('\\');
                    segment = null;
                    continue;
                }
                if (line.Trim().Length == 0 || line.Trim() == "...") continue;
                if (segment == null) excerpt.Segments.Add(segment = new List<(int, string)>());
                segment.Add((j, line));
            }
            found.Add(excerpt);
        }
        return found;
    }

    /// <summary>The words before the first number, or "N kind" for a table row that starts with its number.</summary>
    internal static string Key(string line)
    {
        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1 && char.IsDigit(words[0][0])) return words[0] + " " + words[1];
        return string.Join(" ", words.TakeWhile(w => !char.IsDigit(w[0])));
    }

    /// <summary>
    /// Matches every excerpt line to its source line. Returns the problems (empty when the excerpt is exact) and the
    /// excerpt lines as the sources give them now (by document line index), for <see cref="Refresh"/>.
    /// </summary>
    public (List<string> Problems, Dictionary<int, string> Current) Check(Func<string, string[]> readSource)
    {
        var problems = new List<string>();
        var current = new Dictionary<int, string>();
        if (Segments.Count != Files.Length)
        {
            problems.Add($"the excerpt at line {FirstLine} names {Files.Length} files but has {Segments.Count} output segments");
            return (problems, current);
        }
        for (int s = 0; s < Segments.Count; s++)
        {
            string[] source = readSource(Files[s]);
            int after = -1;
            foreach ((int line, string text) in Segments[s])
            {
                bool truncated = text.EndsWith(Ellipsis, StringComparison.Ordinal);
                string shown = truncated ? text[..^Ellipsis.Length] : text;
                string key = Key(shown);
                int found = -1;
                for (int k = after + 1; k < source.Length && found < 0; k++)
                    if (truncated ? Key(source[k]).StartsWith(key, StringComparison.Ordinal) : Key(source[k]) == key) found = k;
                if (found < 0)
                {
                    problems.Add($"README line {line + 1}: no line \"{key}\" in {Files[s]} (after line {after + 1}): edit the excerpt by hand");
                    continue;
                }
                after = found;
                string now = truncated ? Cut(source[found], shown.Length) + Ellipsis : source[found];
                current[line] = now;
                if (now != text) problems.Add($"README line {line + 1} differs from {Files[s]} line {found + 1}:\n  README: {text}\n  file:   {now}");
            }
        }
        return (problems, current);
    }

    /// <summary>The source line cut at the end of the word that covers column <paramref name="length"/>.</summary>
    private static string Cut(string source, int length)
    {
        int cut = Math.Min(length, source.Length);
        while (cut < source.Length && cut > 0 && source[cut - 1] != ' ' && source[cut] != ' ') cut++;
        return source[..cut].TrimEnd();
    }

    /// <summary>The document with every excerpt line replaced by its source line as it is now.</summary>
    public static string[] Refresh(string[] lines, IEnumerable<Dictionary<int, string>> current)
    {
        string[] updated = (string[])lines.Clone();
        foreach (Dictionary<int, string> map in current)
            foreach ((int line, string text) in map) updated[line] = text;
        return updated;
    }
}
