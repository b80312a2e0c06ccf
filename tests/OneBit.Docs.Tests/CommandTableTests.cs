using System.CommandLine;
using System.Text.RegularExpressions;
using OneBit.Cli;

namespace OneBit.Docs.Tests;

/// <summary>README.md's command table names exactly the subcommands the `onebit` CLI registers.</summary>
public partial class CommandTableTests
{
    [GeneratedRegex(@"`([a-z][a-z-]*)`")]
    private static partial Regex Backticked();

    /// <summary>The command names in the first column of the README table whose header is "| command | what |".</summary>
    internal static List<string> ReadmeCommands(string[] lines)
    {
        int header = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^\|\s*command\s*\|\s*what\s*\|"));
        Assert.True(header >= 0, "README.md has no table with the header | command | what |");
        var names = new List<string>();
        for (int i = header + 2; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            string firstCell = lines[i].Split('|')[1];
            names.AddRange(Backticked().Matches(firstCell).Select(m => m.Groups[1].Value));
        }
        return names;
    }

    [Fact]
    public void ReadmeTableNamesEveryRegisteredCommand()
    {
        string[] registered = CliRoot.Create().Subcommands.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Contains("run", registered);
        List<string> listed = ReadmeCommands(File.ReadAllLines(Repo.PathOf("README.md")));
        Assert.Equal(listed.Distinct().Count(), listed.Count);
        string[] missing = registered.Except(listed).ToArray(), unknown = listed.Except(registered).ToArray();
        Assert.True(missing.Length + unknown.Length == 0, "README.md's command table leaves out: " + string.Join(", ", missing)
            + "; and names commands the CLI does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void TheTableParserSeesEveryRowsNames()
    {
        string[] lines = { "| command | what |", "|---|---|", "| `train` | x `not-this` |", "| `build-device`, `flash` | y |", "", "| `after` | z |" };
        Assert.Equal(new[] { "train", "build-device", "flash" }, ReadmeCommands(lines));
    }
}
