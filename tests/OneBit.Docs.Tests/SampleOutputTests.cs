using System.Text.RegularExpressions;

namespace OneBit.Docs.Tests;

/// <summary>
/// The README's sample outputs, announced by <c>&lt;!-- sample output of: onebit ARGS --&gt;</c> before their code block,
/// against what `onebit ARGS` prints now, run in this process from the repository root. Timings vary from run to run and
/// are masked; everything else (the demo's model, predictions, logits, accuracy and self-test; the bench's lines and
/// words) must be there, in order. "..." lines elide.
/// </summary>
public partial class SampleOutputTests
{
    [GeneratedRegex(@"^<!--\s*sample output of:\s*onebit\s+(?<args>.+?)\s*-->\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\d+\.\d+ ms\b")]
    private static partial Regex Milliseconds();

    [GeneratedRegex(@"\(\d+\.\d s, \d+ images/s\)")]
    private static partial Regex Throughput();

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?|\b(True|False)\b")]
    private static partial Regex AnyNumber();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>What may differ between two runs of a command, replaced by "#"; whitespace runs collapsed.</summary>
    internal static string Mask(string command, string line)
    {
        line = command == "bench"
            ? AnyNumber().Replace(line, "#")                                      // all of it is measured
            : Throughput().Replace(Milliseconds().Replace(line, "# ms"), "(# s, # images/s)");
        return Spaces().Replace(line.Trim(), " ");
    }

    private static (string[] Args, string[] Sample) Find(string command)
    {
        string[] lines = File.ReadAllLines(Repo.PathOf("README.md"));
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            Match m = Marker().Match(lines[i]);
            if (!m.Success || m.Groups["args"].Value.Split(' ')[0] != command) continue;
            Assert.StartsWith("```", lines[i + 1]);
            string[] sample = lines.Skip(i + 2).TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal))
                .Where(l => l.Trim().Length > 0 && l.Trim() != "...").ToArray();
            return (m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), sample);
        }
        throw new Xunit.Sdk.XunitException($"README.md has no <!-- sample output of: onebit {command} ... --> before a code block");
    }

    /// <summary>The sample lines that are not, in order, among the masked output lines.</summary>
    internal static List<string> Missing(string command, string[] sample, string output)
    {
        string[] actual = output.Split('\n').Select(l => Mask(command, l)).ToArray();
        var missing = new List<string>();
        int at = 0;
        foreach (string line in sample)
        {
            string masked = Mask(command, line);
            int found = Array.IndexOf(actual, masked, at);
            if (found < 0) missing.Add(line);
            else at = found + 1;
        }
        return missing;
    }

    private static void Check(string command, int minimumLines)
    {
        (string[] args, string[] sample) = Find(command);
        Assert.True(sample.Length >= minimumLines, $"the README's {command} sample has {sample.Length} lines");
        var (exit, output, error) = CliRun.Invoke(args);
        Assert.True(exit == 0, $"onebit {string.Join(' ', args)} exited with {exit}: {error}");
        List<string> missing = Missing(command, sample, output);
        Assert.True(missing.Count == 0, $"README.md's sample output of `onebit {string.Join(' ', args)}` is not what it prints now " +
            $"(timings masked). Lines not found:\n{string.Join("\n", missing)}\nOutput now:\n{output}");
    }

    [Fact]
    public void DemoSampleMatchesTheDemo()
    {
        Assert.True(Directory.Exists("/usr/share/datasets/fashion-mnist"), "Fashion-MNIST is not installed: sudo apt-get install -y dataset-fashion-mnist");
        Check("demo", 6);
    }

    [Fact]
    public void BenchSampleHasTheLinesTheBenchPrints() => Check("bench", 5);

    [Fact]
    public void MaskingKeepsWhatIsDeterministic()
    {
        Assert.Equal("image 0: Ankle boot predicted Ankle boot logit 7.68 # ms ok",
            Mask("demo", "  image     0: Ankle boot   predicted Ankle boot   logit     7.68   21.40 ms  ok"));
        Assert.Equal("accuracy on all 10,000 images: 82.86 % (# s, # images/s)", Mask("demo", "accuracy on all 10,000 images: 82.86 % (5.0 s, 1986 images/s)"));
        string[] sample = { "accuracy on all 10,000 images: 82.86 % (5.0 s, 1986 images/s)" };
        Assert.Empty(Missing("demo", sample, "x\naccuracy on all 10,000 images: 82.86 % (4.1 s, 2400 images/s)\n"));
        Assert.Single(Missing("demo", sample, "accuracy on all 10,000 images: 82.85 % (5.0 s, 1986 images/s)\n"));
        Assert.Single(Missing("bench", new[] { "speed-up vs ONNX Runtime: 0.48x" }, "speedup vs ONNX Runtime: 0.50x\n"));
    }
}
