using System.Reflection;
using Mono.Cecil;
using OneBit.BenchImage;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// device/OneBit.Bench/ResourceManagerStandIn written by OneBit.BenchImage `resource-manager-standin`: nanoCLR loads it
/// only with the native-methods checksum of its table for nanoFramework.ResourceManager, and OneBit.BenchImage must find
/// it with --packages-folder; a stand-in whose layout drifted is refused before it reaches nanoCLR.
/// </summary>
public class ResourceManagerStandInTests
{
    private static string StandInDll() =>
        Path.Combine(typeof(ResourceManagerStandInTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ResourceManagerStandInBinDir").Value!, "nanoFramework.ResourceManager.dll");

    [Fact]
    public void TheStandInCarriesNanoClrsChecksumAndIsFoundAsAPackage()
    {
        var packages = TestSupport.TempDir("rm-packages");

        string path = ResourceManagerStandIn.Write(StandInDll(), TestSupport.CoreLibraryDir(), packages);

        Assert.Equal(Path.Combine(packages, "nanoFramework.ResourceManager.1.0.0", "lib", "nanoFramework.ResourceManager.pe"), path);
        var pe = PeFile.Load(path);
        Assert.Equal("nanoFramework.ResourceManager", pe.Name);
        // the value in nf-interpreter's nf_system_resourcemanager.cpp, written out so that the constant cannot drift with it
        Assert.Equal(0xDCD7DF4Du, pe.NativeMethodsChecksum);
        Assert.Equal(0xDCD7DF4Du, ResourceManagerStandIn.NanoClrChecksum);
        Assert.Equal(new[] { "mscorlib" }, pe.References.Select(r => r.Name));

        // as OneBit.BenchImage --packages-folder looks it up (an empty global folder, so no real package interferes)
        var locator = new NuGetPeLocator(TestSupport.TempDir("rm-global"));
        locator.AddPackagesFolder(packages);
        Assert.Equal(path, locator.Find(BenchModels.ResourceManager).Path);
    }

    [Fact]
    public void AStandInWithOneMethodLessIsRefusedWithBothChecksums()
    {
        var dir = TestSupport.TempDir("rm-drifted");
        string drifted = Path.Combine(dir, "nanoFramework.ResourceManager.dll");
        using (var module = ModuleDefinition.ReadModule(StandInDll()))
        {
            // one method with IL fewer moves the static natives to other slots of the table
            var type = module.GetType("System.Resources.ResourceManager");
            type.Methods.Remove(type.Methods.Single(m => m.Name == "Slot10"));
            module.Write(drifted);
        }

        var packages = Path.Combine(dir, "packages");
        var e = Assert.Throws<InvalidDataException>(() => ResourceManagerStandIn.Write(drifted, TestSupport.CoreLibraryDir(), packages));
        Assert.Contains("nanoCLR's table has 0xDCD7DF4D", e.Message);
        Assert.Matches("native-methods checksum 0x[0-9A-F]{8}", e.Message);
        Assert.DoesNotContain("checksum 0xDCD7DF4D,", e.Message);
        Assert.False(Directory.Exists(packages));
    }

    [Fact]
    public void AnotherAssemblyIsRefused()
    {
        // the nanoFramework build of the core, beside the bench: references mscorlib alone, has no native methods
        string runtime = Path.Combine(typeof(ResourceManagerStandInTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BenchBinDir").Value!, "OneBit.Runtime.dll");
        var packages = TestSupport.TempDir("rm-other");
        var e = Assert.Throws<InvalidDataException>(() => ResourceManagerStandIn.Write(runtime, TestSupport.CoreLibraryDir(), packages));
        Assert.Contains("is assembly OneBit.Runtime, not nanoFramework.ResourceManager", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(packages));
    }
}
