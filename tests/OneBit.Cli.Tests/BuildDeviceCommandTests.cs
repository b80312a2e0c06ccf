using System.Text.Json;

namespace OneBit.Cli.Tests;

/// <summary>
/// `onebit build-device` as a user runs it: by default the image ends with OneBit.Native.pe, the interop assembly of
/// the custom firmware's native kernels, with its native checksum in the manifest; `--no-native` leaves it out.
/// The pipeline itself is tested in tests/OneBit.DeviceBuild.Tests/DeviceBuildTests.
/// </summary>
public class BuildDeviceCommandTests
{
    private static string[] Assemblies(string manifest) =>
        JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("assemblies").EnumerateArray()
            .Select(a => a.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public void TheImageEndsWithOneBitNativeUnlessNoNativeIsGiven()
    {
        string dir = Cli.TempDir();
        string withNative = Path.Combine(dir, "native"), stock = Path.Combine(dir, "stock");

        Cli.Result r = Cli.Run(null, "build-device", "--variant", "synthetic", "-o", withNative);

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        string manifest = Path.Combine(withNative, "app.manifest.json");
        Assert.Equal(new[] { "mscorlib", "OneBit.Runtime", "OneBit.App.Synthetic", "OneBit.Native" }, Assemblies(manifest));
        var native = JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("assemblies")[3];
        string header = File.ReadAllText(Path.Combine(Cli.RepoRoot, "native", "onebit_interop", "generated", "onebit_native.h"));
        Assert.Contains($"#define ONEBIT_NATIVE_CHECKSUM {native.GetProperty("nativeMethodsChecksum").GetString()}u", header);
        string last = r.Out.Split('\n').Select(l => l.TrimEnd('\r')).Last(l => l.StartsWith("0x", StringComparison.Ordinal));
        Assert.EndsWith(" OneBit.Native 1.0.0.0", last);

        // the same .pe files assembled again for stock firmware: OneBit.Native.pe of the folder stays out
        r = Cli.Run(null, "build-device", "--pe-dir", Path.Combine(withNative, "pe"), "--no-native", "-o", stock);

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Equal(new[] { "mscorlib", "OneBit.Runtime", "OneBit.App.Synthetic" }, Assemblies(Path.Combine(stock, "app.manifest.json")));
        Assert.DoesNotContain("OneBit.Native 1.0.0.0", r.Out);
    }
}
