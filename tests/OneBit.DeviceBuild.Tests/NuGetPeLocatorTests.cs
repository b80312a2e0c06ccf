using OneBit.DeviceBuild;
using OneBit.Paths;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

public class NuGetPeLocatorTests
{
    private static string FakeGlobalFolder(params (string Id, string PackageVersion, string Assembly, string AssemblyVersion)[] packages)
    {
        var root = TestSupport.TempDir("nuget");
        foreach (var (id, pv, asm, av) in packages)
        {
            var lib = Path.Combine(root, id.ToLowerInvariant(), pv, "lib");
            Directory.CreateDirectory(lib);
            File.WriteAllBytes(Path.Combine(lib, asm + ".pe"), TestSupport.FakePe(asm, new Version(av), Array.Empty<(string, Version)>()));
            File.WriteAllBytes(Path.Combine(lib, asm + ".dll"), new byte[4]);
        }

        return root;
    }

    [Fact]
    public void FindsTheShippedPeOfAKnownPackageByAssemblyVersion()
    {
        var root = FakeGlobalFolder(
            ("nanoFramework.System.Device.Spi", "1.3.70", "System.Device.Spi", "1.3.0.0"),
            ("nanoFramework.System.Device.Spi", "1.3.89", "System.Device.Spi", "1.3.0.0"),
            ("nanoFramework.System.Device.Spi", "2.0.1", "System.Device.Spi", "2.0.0.0"));
        var locator = new NuGetPeLocator(root);
        var hit = locator.Find("System.Device.Spi", new Version(1, 3, 0, 0));
        Assert.True(hit.Found);
        Assert.Equal("nanoFramework.System.Device.Spi", hit.Package.Id);
        Assert.Equal("1.3.89", hit.Package.Version); // newest of the matching ones
        Assert.Equal("2.0.1", locator.Find("System.Device.Spi", new Version(2, 0, 0, 0)).Package.Version);
    }

    [Fact]
    public void PinnedVersionIsUsedExactly()
    {
        var root = FakeGlobalFolder(
            ("nanoFramework.Hardware.Esp32", "1.6.30", "nanoFramework.Hardware.Esp32", "1.6.0.0"),
            ("nanoFramework.Hardware.Esp32", "1.6.34", "nanoFramework.Hardware.Esp32", "1.6.0.0"));
        var locator = new NuGetPeLocator(root);
        locator.Pin("nanoFramework.Hardware.Esp32", "1.6.30");
        var hit = locator.Find("nanoFramework.Hardware.Esp32");
        Assert.Equal(Path.Combine(root, "nanoframework.hardware.esp32", "1.6.30", "lib", "nanoFramework.Hardware.Esp32.pe"), hit.Path);
    }

    [Fact]
    public void MissingPackageMessageNamesPackageVersionAndFile()
    {
        var root = TestSupport.TempDir("empty-nuget");
        var config = Path.Combine(TestSupport.TempDir("app"), "packages.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <packages>
              <package id="nanoFramework.CoreLibrary" version="1.17.11" targetFramework="netnano1.0" />
              <package id="nanoFramework.System.Device.I2c" version="1.1.29" targetFramework="netnano1.0" />
            </packages>
            """);
        var locator = new NuGetPeLocator(root);
        locator.AddPackagesConfig(config);
        var miss = locator.Find("System.Device.I2c", new Version(1, 1, 0, 0));
        Assert.False(miss.Found);
        var message = miss.MissingMessage(new Version(1, 1, 0, 0));
        Assert.Contains("missing nanoFramework.System.Device.I2c 1.1.29: file lib/System.Device.I2c.pe", message);
        Assert.Contains(Path.Combine(root, "nanoframework.system.device.i2c", "1.1.29"), message);
        Assert.Contains(Path.Combine(Path.GetDirectoryName(config)!, "packages", "nanoFramework.System.Device.I2c.1.1.29"), message);
        Assert.Contains("NUGET_PACKAGES", message);

        var unpinned = new NuGetPeLocator(root).Find("System.Device.Gpio", new Version(1, 1, 0, 0)).MissingMessage(new Version(1, 1, 0, 0));
        Assert.Contains("missing nanoFramework.System.Device.Gpio (any version whose lib/System.Device.Gpio.pe is assembly version 1.1.0.0)", unpinned);
    }

    [Fact]
    public void PackagesConfigFolderLayoutIsSearched()
    {
        var appDir = TestSupport.TempDir("app");
        var lib = Path.Combine(appDir, "packages", "nanoFramework.ResourceManager.1.2.32", "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllBytes(Path.Combine(lib, "nanoFramework.ResourceManager.pe"),
            TestSupport.FakePe("nanoFramework.ResourceManager", new Version(1, 2, 0, 0), Array.Empty<(string, Version)>()));
        var config = Path.Combine(appDir, "packages.config");
        File.WriteAllText(config, "<packages><package id=\"nanoFramework.ResourceManager\" version=\"1.2.32\" /></packages>");
        var locator = new NuGetPeLocator(TestSupport.TempDir("empty-nuget"));
        locator.AddPackagesConfig(config);
        Assert.Equal(Path.Combine(lib, "nanoFramework.ResourceManager.pe"), locator.Find("nanoFramework.ResourceManager").Path);
    }

    [Fact]
    public void TheDeviceAppsPackagesConfigIsReadable()
    {
        var config = RepositoryPaths.Combine("device", "OneBit.App", "packages.config");
        if (!File.Exists(config))
        {
            return; // the device app's file set is not ours
        }

        var packages = NuGetPeLocator.ReadPackagesConfig(config);
        Assert.Contains(packages, p => p.Id == "nanoFramework.CoreLibrary" && p.Version == "1.17.11");
        foreach (var p in packages.Where(p => p.Id != "nanoFramework.CoreLibrary"))
        {
            Assert.Contains(p.Id, NuGetPeLocator.KnownPackages.Values);
        }
    }

    [Fact]
    public void RealCoreLibraryIsFound()
    {
        var global = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestSupport.CoreLibraryDir().TrimEnd('/', '\\'))))!;
        var hit = new NuGetPeLocator(global).Find("mscorlib");
        Assert.True(hit.Found, hit.MissingMessage(null));
        Assert.Equal("nanoFramework.CoreLibrary", hit.Package.Id);
    }
}
