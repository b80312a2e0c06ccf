using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>The build's GlibcxxWeakPatch (host-tools/OneBit.Training/build) left no libstdc++ version
/// requirement in libLibTorchSharp.so that the system cannot satisfy: each one is either defined by the
/// system libstdc++.so.6 or marked WEAK. Checked with binutils' readelf -V, as a person would.</summary>
public class GlibcxxPatchTests
{
    static string? Readelf(string file)
    {
        try
        {
            var p = Process.Start(new ProcessStartInfo("readelf", $"-V \"{file}\"") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (p is null) return null;
            string o = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? o : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; } // no binutils
    }

    [Fact]
    public void EveryStrongGlibcxxRequirementIsDefinedBySystemLibStdCxx()
    {
        if (!OperatingSystem.IsLinux()) return;
        string? lib = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        string? sys = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        Assert.NotNull(lib);
        Assert.True(sys is not null, "no system libstdc++.so.6 found in the usual places");
        string? needed = Readelf(lib!), defined = Readelf(sys!);
        Assert.True(needed is not null && defined is not null, "readelf (binutils) is needed to check the GLIBCXX requirements");

        var definedNames = Regex.Matches(defined, @"Index: \d+\s+Cnt: \d+\s+Name: (GLIBCXX_[\d.]+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("GLIBCXX_3.4", definedNames);
        var requirements = Regex.Matches(needed, @"Name: (GLIBCXX_[\d.]+)\s+Flags: (\w+)").Select(m => (Name: m.Groups[1].Value, Flags: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(requirements);
        foreach (var (name, flags) in requirements)
            Assert.True(definedNames.Contains(name) || flags == "WEAK", $"{lib} requires {name} (flags {flags}) which {sys} lacks and which is not weak");
    }
}
