namespace OneBit.Cli.Tests;

/// <summary>
/// `--kernel native` in run, eval, selftest and bench: the same classifications as the reference kernels where the
/// output has them, and without the library (ONEBIT_NATIVE_KERNELS naming a file that does not exist) a user error
/// that says what is missing and how to get it, never a stack trace.
/// </summary>
public class NativeKernelOptionTests
{
    private static readonly Dictionary<string, string?> NoLibrary = new() { ["ONEBIT_NATIVE_KERNELS"] = "/nonexistent/libonebit_kernels.so" };

    private static string[] Args(string command, string dir) => command switch
    {
        "run" => new[] { "run", Cli.SyntheticBlob(dir), Cli.ImageFolder(dir, 2, 3) },
        "eval" => new[] { "eval", Cli.SyntheticBlob(dir), "--data", Cli.ImageFolder(dir, 3, 2), "--threads", "1" },
        "selftest" => new[] { "selftest", "--demo" },
        _ => new[] { "bench", "--demo", "--frames", "2" },
    };

    [Theory]
    [InlineData("run")]
    [InlineData("eval")]
    [InlineData("selftest")]
    [InlineData("bench")]
    public void NativeKernelsGiveTheReferenceResults(string command)
    {
        string dir = Cli.TempDir();
        try
        {
            string[] args = Args(command, dir);
            Cli.Result native = Cli.Run(null, args.Append("--kernel").Append("native").ToArray());
            Assert.True(native.ExitCode == 0, native.Err);
            Cli.Result reference = Cli.Run(null, args.Append("--kernel").Append("reference").ToArray());
            Assert.True(reference.ExitCode == 0, reference.Err);
            switch (command)
            {
                case "run":
                    Assert.Equal(6, Untimed(native.Out).Length);
                    Assert.Equal(Untimed(reference.Out), Untimed(native.Out));
                    break;
                case "eval":
                    Assert.Contains("of 6)", native.Out);
                    Assert.Equal(Untimed(reference.Out).Where(l => l.Contains("of 6)")), Untimed(native.Out).Where(l => l.Contains("of 6)")));
                    break;
                case "selftest":
                    Assert.Contains("selftest passed: 4 of 4 vectors", native.Out);
                    break;
                default:
                    Assert.Contains("kernel native", native.Out);
                    break;
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("eval")]
    [InlineData("selftest")]
    [InlineData("bench")]
    public void WithoutTheLibraryTheCommandSaysWhatIsMissingAndHowToGetIt(string command)
    {
        string dir = Cli.TempDir();
        try
        {
            Cli.Result r = Cli.Run(NoLibrary, Args(command, dir).Append("--kernel").Append("native").ToArray());
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("error: --kernel native: the native kernels are not built: /nonexistent/libonebit_kernels.so (named by ONEBIT_NATIVE_KERNELS) is missing", r.Err);
            Assert.Contains("apt-get install gcc cmake", r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>`bench --compare` times the other kernels and ONNX Runtime beside the chosen one, each line with its speed
    /// relative to ONNX Runtime (1.00x on ONNX Runtime's own line), and the native set names its code path.</summary>
    [Fact]
    public void BenchComparesKernelsWithOnnxRuntimeInOneRun()
    {
        Cli.Result r = Cli.Run(null, "bench", "--demo", "--frames", "5", "--kernel", "native", "--compare", "host,reference");
        Assert.True(r.ExitCode == 0, r.Err);
        string[] lines = r.Out.Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith("side by side", StringComparison.Ordinal));
        Assert.True(at >= 0, r.Out);
        string[] rows = lines.Skip(at + 2).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "native", "host", "reference", "ONNX" }, rows.Select(l => l.Trim().Split(' ')[0]).ToArray());
        Assert.Matches(@"^  native \((portable|avx2|avx512)\) +\d+\.\d{3} +\d+\.\d{2}x +\d+\.\d{3} +\d+\.\d{2}x$", rows[0]);
        Assert.Matches(@" 1\.00x +\d+\.\d{3} +1\.00x$", rows[3]);
        Assert.Contains("kernel native (", r.Out);
    }

    [Fact]
    public void BenchRejectsAnUnknownKernelToCompare()
    {
        Cli.Result r = Cli.Run(null, "bench", "--demo", "--frames", "2", "--compare", "host,fastest");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown kernel 'fastest'", r.Err);
    }

    /// <summary>ONEBIT_NATIVE_PATH chooses the library's default path at load; a name it does not know leaves the
    /// default, the best path of the CPU.</summary>
    [Fact]
    public void TheEnvironmentChoosesTheNativePath()
    {
        static string PathOf(string? named)
        {
            var env = new Dictionary<string, string?> { ["ONEBIT_NATIVE_PATH"] = named };
            Cli.Result r = Cli.Run(env, "bench", "--demo", "--frames", "2", "--kernel", "native");
            Assert.True(r.ExitCode == 0, r.Err);
            return System.Text.RegularExpressions.Regex.Match(r.Out, @"kernel native \((\w+)\)").Groups[1].Value;
        }
        Assert.Equal("portable", PathOf("portable"));
        string best = PathOf(null);
        Assert.Contains(best, new[] { "portable", "avx2", "avx512" });
        Assert.Equal(best, PathOf("no-such-path"));
    }

    /// <summary>The output's lines up to their first timing (", 5.59 ms", ", 0.0 s, 159 images/s"): the results only.</summary>
    private static string[] Untimed(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @", [0-9.]+ (ms|s)\b.*$", "")).ToArray();
}
