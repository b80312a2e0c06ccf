using System.Runtime.Versioning;

namespace OneBit.Cli.Tests;

/// <summary>
/// scripts/build-posix-nanoclr.sh, scripts/nanoclr-bench.sh and its summary, without nanoCLR: the build script on a
/// made-up nf-interpreter checkout (the patched file's lines from the patch itself, CRLF as in a real checkout) with
/// cmake and ninja stand-ins that log their calls; the summary on bench output in the format device/OneBit.Bench prints.
/// The real build and bench run are in device/OneBit.Bench/README.md.
/// </summary>
[SupportedOSPlatform("linux")]
public class NanoClrBenchScriptsTests
{
    static string Script(string name) => Path.Combine(Cli.RepoRoot, "scripts", name);

    static readonly Dictionary<string, string?> NoEnv = new();

    [Theory]
    [InlineData("nanoclr-bench.sh")]
    [InlineData("build-posix-nanoclr.sh")]
    public void ScriptParses(string name)
    {
        Cli.Result r = Cli.Bash(NoEnv, "-n", Script(name));
        Assert.True(r.ExitCode == 0, r.Err);
    }

    [Fact]
    public void BenchWithoutNanoClrSaysHowToBuildIt()
    {
        Cli.Result r = Cli.Bash(new Dictionary<string, string?> { ["NANOCLR"] = null }, Script("nanoclr-bench.sh"), ".");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("set NANOCLR", r.Err);
        Assert.Contains("scripts/build-posix-nanoclr.sh <nf-interpreter checkout>", r.Err);
    }

    sealed class FakeNfInterpreter : IDisposable
    {
        public readonly string Root = Cli.TempDir();
        public string Checkout => Path.Combine(Root, "nf-interpreter");
        public string TimeFile => Path.Combine(Checkout, "targets", "posix", "nanoCLR", "targetHAL_Time.cpp");
        string Bin => Path.Combine(Root, "bin");
        public string Log => Path.Combine(Root, "calls.log");

        public FakeNfInterpreter()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(TimeFile)!);
            Directory.CreateDirectory(Path.Combine(Checkout, "src", "CLR", "Core"));
            File.WriteAllText(Path.Combine(Checkout, "targets", "posix", "CMakeLists.txt"), "");
            File.WriteAllText(Path.Combine(Checkout, "src", "CLR", "Core", "TypeSystem.cpp"), "");
            // nf-interpreter checks its sources out with CRLF line ends
            File.WriteAllText(Path.Combine(Checkout, ".gitattributes"), "* text=auto eol=crlf\n");
            foreach (string patch in new[] { "nanoclr-cpu-clock.patch", "nanoclr-onebit-native.patch" })
            {
                foreach (var (file, lines) in PatchPreimages(patch))
                {
                    string path = Path.Combine(Checkout, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, string.Concat(lines.Select(l => l + "\r\n")));
                }
            }
            Git("init", "-q");
            Git("add", "-A");
            Git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "fake nf-interpreter");

            Directory.CreateDirectory(Bin);
            Stub("cmake", $$"""
                echo "cmake $*" >> {{Log}}
                if [ "$1" = --build ]; then mkdir -p "$2/bin"; printf '#!/bin/sh\n' > "$2/bin/nanoFramework.nanoCLR.test"; chmod +x "$2/bin/nanoFramework.nanoCLR.test"; fi
                """);
            Stub("ninja", "exit 0");
            Stub("c++", "exit 0");
        }

        /// <summary>Per file of the patch, the lines it expects to find (context and removed lines of its hunks), in order.</summary>
        static Dictionary<string, List<string>> PatchPreimages(string patch)
        {
            var files = new Dictionary<string, List<string>>();
            List<string>? current = null;
            bool inHunk = false;
            foreach (string line in File.ReadAllLines(Script(Path.Combine("patches", patch))))
            {
                if (line.StartsWith("--- a/"))
                {
                    current = files[line["--- a/".Length..]] = new List<string>();
                    inHunk = false;
                }
                else if (line.StartsWith("@@")) inHunk = true;
                else if (inHunk && current != null && (line.StartsWith(' ') || line.StartsWith('-'))) current.Add(line[1..]);
            }

            return files;
        }

        void Git(params string[] args)
        {
            var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Checkout, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, "git " + string.Join(' ', args) + ": " + p.StandardError.ReadToEnd());
        }

        void Stub(string name, string body)
        {
            string path = Path.Combine(Bin, name);
            File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public Cli.Result Build(string checkout, string? popcount = null, params string[] options) =>
            Cli.Bash(new Dictionary<string, string?> { ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["POPCOUNT"] = popcount },
                [Script("build-posix-nanoclr.sh"), .. options, checkout]);

        public string[] Calls => File.Exists(Log) ? File.ReadAllLines(Log) : Array.Empty<string>();
        public void Dispose() => Directory.Delete(Root, true);
    }

    [Fact]
    public void BuildPatchesACrlfCheckoutOnceThenConfiguresReleaseNinjaAndPrintsTheBinary()
    {
        using var nf = new FakeNfInterpreter();
        string before = File.ReadAllText(nf.TimeFile);

        Cli.Result r = nf.Build(nf.Checkout);

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Contains("nanoclr-cpu-clock.patch: applied", r.Out);
        string after = File.ReadAllText(nf.TimeFile);
        Assert.NotEqual(before, after);
        Assert.Contains("std::getenv(\"NANOCLR_CPU_CLOCK\") ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_REALTIME", after);
        Assert.DoesNotContain("clock_gettime(CLOCK_REALTIME, &ts);", after);
        Assert.All(after.Split('\n')[..^1], line => Assert.EndsWith("\r", line));
        string build = Path.Combine(nf.Checkout, "build", "posix");
        Assert.Equal(new[]
        {
            $"cmake -S {nf.Checkout}/targets/posix -B {build} -G Ninja -DCMAKE_BUILD_TYPE=Release",
            $"cmake --build {build}",
        }, nf.Calls);
        Assert.Contains($"nanoCLR: {build}/bin/nanoFramework.nanoCLR.test", r.Out);

        // a second call finds the patch in place and builds again
        Cli.Result again = nf.Build(nf.Checkout);
        Assert.True(again.ExitCode == 0, again.Out + again.Err);
        Assert.Contains("already applied", again.Out);
        Assert.Equal(after, File.ReadAllText(nf.TimeFile));
        Assert.Equal(4, nf.Calls.Length);
    }

    [Fact]
    public void NativeBuildAlsoAppliesTheInteropPatchAndConfiguresOneBitNative()
    {
        using var nf = new FakeNfInterpreter();
        string stubs = Path.Combine(nf.Checkout, "targets", "posix", "nanoCLR", "posix_stubs.cpp");
        string cmake = Path.Combine(nf.Checkout, "targets", "posix", "nanoCLR", "CMakeLists.txt");

        Cli.Result r = nf.Build(nf.Checkout, null, "--native");

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Contains("nanoclr-cpu-clock.patch: applied", r.Out);
        Assert.Contains("nanoclr-onebit-native.patch: applied", r.Out);
        Assert.Contains("&g_CLR_AssemblyNative_OneBit_Native,", File.ReadAllText(stubs));
        Assert.Contains("find_package(INTEROP-OneBit.Native REQUIRED)", File.ReadAllText(cmake));
        Assert.All(File.ReadAllText(stubs).Split('\n')[..^1], line => Assert.EndsWith("\r", line));
        string build = Path.Combine(nf.Checkout, "build", "posix-native"), native = Path.Combine(Cli.RepoRoot, "native");
        Assert.Equal(new[]
        {
            $"cmake -S {nf.Checkout}/targets/posix -B {build} -G Ninja -DCMAKE_BUILD_TYPE=Release -DONEBIT_NATIVE_DIR={native} -DONEBIT_NATIVE_HOST_POPCOUNT=ON",
            $"cmake --build {build}",
        }, nf.Calls);
        Assert.Contains($"nanoCLR: {build}/bin/nanoFramework.nanoCLR.test", r.Out);

        // again, with the ESP32's popcount: both patches found in place
        Cli.Result swar = nf.Build(nf.Checkout, "swar", "--native");
        Assert.True(swar.ExitCode == 0, swar.Out + swar.Err);
        Assert.Contains("nanoclr-onebit-native.patch: already applied", swar.Out);
        Assert.EndsWith("-DONEBIT_NATIVE_HOST_POPCOUNT=OFF", nf.Calls[2]);

        Cli.Result bad = nf.Build(nf.Checkout, "fast", "--native");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("POPCOUNT=fast: host or swar", bad.Err);
    }

    [Fact]
    public void BuildRefusesWhatIsNotAnNfInterpreterCheckoutOrNoLongerTakesThePatch()
    {
        using var nf = new FakeNfInterpreter();

        Cli.Result plain = nf.Build(nf.Root);                      // no git checkout
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("is not a git checkout", plain.Err);

        Cli.Result other = nf.Build(Cli.RepoRoot);                 // a git checkout, but of this repository
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("not a checkout of nanoframework/nf-interpreter", other.Err);

        File.WriteAllText(nf.TimeFile, "// HAL_Time_CurrentDateTime rewritten upstream\r\n");
        Cli.Result changed = nf.Build(nf.Checkout);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("does not apply", changed.Err);
        Assert.Empty(nf.Calls);
    }

    /// <summary>Bench output as device/OneBit.Bench prints it for one embedded model (QUICK), with the given times.</summary>
    static string Run(double tuned, double device, int calibration, string deviceCrc = "yes") => FormattableString.Invariant($"""
        OneBit.Bench on nanoCLR
        calibration: 2000000 simple loop iterations in 65.0 ms = {calibration} iterations/s (s=-1455759936)
        model fast (embedded blob 'cifar10-bn8-c16-i16-b2'): 16x16x3, 10 classes, 2-bit activations, 19 layers, blob 18032 B with 4 test vectors
          tuned: {tuned:F1} ms per frame (min of 5 frames, mean 16.1 ms)
            layer 0 stem: 1598 us
            sum of per-layer minima: 15392 us
          test vector 0: expected class 0, CRC 0x0DE1BF55; tuned same class yes, same logits CRC yes
          device path (streaming runner, tuned kernels, int32 stream rings): {device:F1} ms per frame (min of 5 frames); same class yes, same logits CRC {deviceCrc}
        calibration: 2000000 simple loop iterations in 65.0 ms = {calibration} iterations/s (s=-1455759936)
        bench done

        """);

    static Cli.Result Summarize(params string[] runs)
    {
        string work = Cli.TempDir();
        for (int i = 0; i < runs.Length; i++) File.WriteAllText(Path.Combine(work, $"run{i + 1}.txt"), runs[i]);
        return Cli.Bash(NoEnv, "-c", $"python3 {Script("nanoclr-bench-summary.py")} summarize {work}");
    }

    [Fact]
    public void SummaryGivesMediansAndIterationsPerFrame()
    {
        Cli.Result r = Summarize(Run(16.0, 20.0, 30_000_000), Run(17.0, 22.0, 32_000_000), Run(15.0, 21.0, 31_000_000));

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Contains("runs that reached 'bench done': 3/3", r.Out);
        Assert.Contains("fast (cifar10-bn8-c16-i16-b2):", r.Out);
        Assert.Contains("ms/frame: min 20.0 / median 21.0 / max 22.0 ms   runs: 20.0, 22.0, 21.0", r.Out);
        Assert.Contains("whole frame, tuned: min 15.0 / median 16.0 / max 17.0 ms", r.Out);
        // device path: 20 ms x 30 M/s = 0.60 M, 22 x 32 = 0.704, 21 x 31 = 0.651
        Assert.Contains("M loop iterations/frame: min 0.60 / median 0.65 / max 0.70 M", r.Out);
        Assert.Contains("calibration around the model: min 30.0 / median 31.0 / max 32.0 M it/s (6 values)", r.Out);
        Assert.Contains("6 of 6 lines all 'yes'", r.Out);
    }

    /// <summary>A run with the firmware's native kernels beside the tuned ones (device/OneBit.Bench on the nanoCLR of
    /// build-posix-nanoclr.sh --native).</summary>
    static string NativeRun(double tuned, double native, double nativeDevice) => Run(tuned, 20.0, 30_000_000)
        .Replace("OneBit.Bench on nanoCLR\n", "OneBit.Bench on nanoCLR\nkernels: native and tuned (the firmware carries OneBit.Native, interop version 1: C kernels)\n")
        .Replace("  test vector 0:", FormattableString.Invariant($"""
              native: {native:F2} ms per frame (min of 20 frames, mean 0.45 ms)
                layer 0 stem: 98 us
              ratio tuned/native, whole frame: 38.0; same class yes, same logits CRC yes
              test vector 0:
            """).TrimEnd('\n'))
        .Replace("  device path (", FormattableString.Invariant($"""
              native device path (streaming runner, native kernels, int32 stream rings): {nativeDevice:F2} ms per frame (min of 20 frames); same class yes, same logits CRC yes
              device path (
            """).TrimEnd('\n'));

    [Fact]
    public void SummaryGivesTheNativeFramesAndTheRatioOfTheMedians()
    {
        Cli.Result r = Summarize(NativeRun(16.0, 0.40, 0.50), NativeRun(15.0, 0.42, 0.52), NativeRun(17.0, 0.41, 0.51));

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Contains("kernels: native and tuned (the firmware carries OneBit.Native, interop version 1: C kernels)", r.Out);
        // 16.0 / 0.41 = 39.0; the device path: 20.0 / 0.51 = 39.2
        Assert.Contains("whole frame, native: min 0.40 / median 0.41 / max 0.42 ms   runs: 0.40, 0.42, 0.41   tuned/native (medians): 39.0", r.Out);
        Assert.Contains("device path, native: min 0.50 / median 0.51 / max 0.52 ms   runs: 0.50, 0.52, 0.51   tuned/native (medians): 39.2", r.Out);
        Assert.Contains("12 of 12 lines all 'yes'", r.Out);
    }

    [Fact]
    public void SummaryFailsOnACheckThatSaysNo()
    {
        Cli.Result r = Summarize(Run(16.0, 20.0, 30_000_000), Run(16.0, 20.0, 30_000_000, deviceCrc: "NO"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("3 of 4 lines all 'yes' -- FAILURES:", r.Out);
        Assert.Contains("same logits CRC NO", r.Out);
    }
}
