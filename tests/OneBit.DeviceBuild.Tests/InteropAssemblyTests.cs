using OneBit.PeWriter;
using OneBit.Runtime.Kernels.Firmware;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// The .pe of the interop assembly as app images and the bench deploy it (host-tools/OneBit.DeviceBuild/InteropAssembly):
/// the name the runtime loads, the checksum of the firmware's native table, and no other assembly under its role.
/// </summary>
public class InteropAssemblyTests
{
    private static PeWriterOptions Options(string dll)
    {
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(Path.GetDirectoryName(dll)!);
        options.ReferenceDirectories.Add(TestSupport.CoreLibraryDir());
        return options;
    }

    [Fact]
    public void TheNameIsTheOneTheRuntimeLoads()
    {
        Assert.Equal(DeviceKernelChoice.NativeAssembly, InteropAssembly.Name);
        Assert.EndsWith(Path.Combine("device", "OneBit.Native", "OneBit.Native.csproj"), InteropAssembly.Project("repo"));
    }

    [Fact]
    public void ItsPeCarriesTheChecksumOfTheFirmwaresTable()
    {
        string dll = TestSupport.NativeInteropDll();

        var pe = InteropAssembly.Write(dll, Options(dll));

        Assert.Equal("OneBit.Native", pe.Name);
        Assert.Equal(TestSupport.FirmwareTableChecksum(), pe.NativeMethodsChecksum);
        Assert.NotEqual(0u, pe.NativeMethodsChecksum);
        Assert.Equal(new[] { "OneBit.Runtime", "mscorlib" }, pe.References.Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void AnotherAssemblyIsRefused()
    {
        string runtime = Path.Combine(Path.GetDirectoryName(TestSupport.NativeInteropDll())!, "OneBit.Runtime.dll");

        var e = Assert.Throws<ImageException>(() => InteropAssembly.Write(runtime, Options(runtime)));

        Assert.Equal($"{runtime}: assembly OneBit.Runtime, the runtime looks for the native kernels in OneBit.Native", e.Message);
    }
}
