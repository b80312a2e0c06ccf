using System.Text.RegularExpressions;

namespace OneBit.Cli.Tests;

/// <summary>Escape sequences only on a terminal; colour also off there when NO_COLOR is set (https://no-color.org).</summary>
public class ConsoleOutputTests
{
    // A terminal type that Spectre.Console recognises as ANSI-capable, so that only our own choice keeps escapes out.
    static readonly Dictionary<string, string?> Xterm = new() { ["TERM"] = "xterm-256color", ["NO_COLOR"] = null };

    /// <summary>Select Graphic Rendition sequences that set a foreground or background colour.</summary>
    static readonly Regex ColourSgr = new(@"\x1b\[(?:[0-9]+;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m");

    [Theory]
    [InlineData(true, null, true, true)]
    [InlineData(true, "", true, true)]
    [InlineData(true, "1", true, false)]
    [InlineData(false, null, false, false)]
    [InlineData(false, "1", false, false)]
    public void EscapesOnlyOnATerminalAndColourOnlyWithoutNoColor(bool terminal, string? noColor, bool escapes, bool colour)
    {
        Assert.Equal(new ConsoleOutput.Mode(escapes, colour), ConsoleOutput.For(terminal, noColor));
    }

    static string[] EvalArgs(string dir) =>
        new[] { "eval", Cli.SyntheticBlob(dir), "--data", Cli.ImageFolder(dir, 3, 4), "--threads", "1" };

    [Fact]
    public void EvalWritesNoEscapeSequencesIntoPipes()
    {
        string dir = Cli.TempDir();
        try
        {
            Cli.Result r = Cli.Run(Xterm, EvalArgs(dir));
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Contains("accuracy", r.Out);
            Assert.Contains("of 12)", r.Out);
            Assert.DoesNotContain('\u001b', r.Out);
            Assert.DoesNotContain('\u001b', r.Err);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>`train` reports a missing checkpoint through a coloured Spectre.Console markup line.</summary>
    static readonly string[] TrainError = { "train", "--resume", "/nonexistent/onebit-run" };
    const string TrainErrorText = "error: checkpoint not found: /nonexistent/onebit-run (expected a checkpoint.obck written by `onebit train`)";

    [Fact]
    public void MarkupLinesGoIntoPipesWithoutEscapesAndUnwrapped()
    {
        Cli.Result r = Cli.Run(Xterm, TrainError);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(TrainErrorText + "\n", r.Out);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void OnATerminalMarkupIsColouredUnlessNoColorIsSet()
    {
        Cli.Result coloured = Cli.RunOnTerminal(Xterm, TrainError);
        Assert.Equal(2, coloured.ExitCode);
        Assert.Matches(ColourSgr, coloured.Out);

        Cli.Result plain = Cli.RunOnTerminal(new Dictionary<string, string?>(Xterm) { ["NO_COLOR"] = "1" }, TrainError);
        Assert.Equal(2, plain.ExitCode);
        Assert.Contains("error: checkpoint not found", plain.Out);
        Assert.DoesNotMatch(ColourSgr, plain.Out);
    }

    [Fact]
    public void OnATerminalTheProgressIsColouredUnlessNoColorIsSet()
    {
        string dir = Cli.TempDir();
        try
        {
            string[] args = EvalArgs(dir);
            Cli.Result coloured = Cli.RunOnTerminal(Xterm, args);
            Assert.True(coloured.ExitCode == 0, coloured.Out + coloured.Err);
            Assert.Matches(ColourSgr, coloured.Out);

            Cli.Result plain = Cli.RunOnTerminal(new Dictionary<string, string?>(Xterm) { ["NO_COLOR"] = "1" }, args);
            Assert.True(plain.ExitCode == 0, plain.Out + plain.Err);
            Assert.Contains("of 12)", plain.Out);
            Assert.DoesNotMatch(ColourSgr, plain.Out);
        }
        finally { Directory.Delete(dir, true); }
    }
}
