using System.Diagnostics;
using OneBit.Paths;
using Xunit;
using Xunit.Abstractions;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// The C++ glue of OneBit.Native (native/onebit_interop) compiled on this machine over a stand-in of nanoCLR's types,
/// with AddressSanitizer and UndefinedBehaviorSanitizer (native/onebit_interop/test): every handler reached through the
/// generated table gives the C kernel's result on valid arguments and nanoCLR's error code, buffers untouched, on a
/// null array, an array of another element type, a ring or buffer too short, a negative, reversed or out-of-tensor row
/// range, a layer field outside the contract, and for the preprocessor a window outside the frame, empty or negative,
/// window pairs of unequal lengths, fewer windows than output pixels. Needs CMake and a C/C++ compiler (.ci/run installs them).
/// </summary>
public class InteropGlueTests(ITestOutputHelper output)
{
    [Fact]
    public void TheGlueChecksItsArgumentsAndCallsTheKernels()
    {
        string build = TestSupport.TempDir("interop-glue");
        Run("cmake", $"-S \"{RepositoryPaths.Combine("native", "onebit_interop", "test")}\" -B \"{build}\"");
        Run("cmake", $"--build \"{build}\"");
        var (code, text) = Run(Path.Combine(build, "glue_test"), "", check: false);

        Assert.Equal(0, code);
        Assert.Matches(@"glue checks passed: (4[0-9]|[5-9][0-9]), failed: 0", text);
        Assert.DoesNotContain("FAILED", text);
    }

    private (int Code, string Text) Run(string file, string arguments, bool check = true)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string text = stdout + stderr.Result;
        output.WriteLine($"$ {file} {arguments}\n{text}");
        if (check) Assert.True(p.ExitCode == 0, $"{file} {arguments} exited with {p.ExitCode}:\n{text}");
        return (p.ExitCode, text);
    }
}
