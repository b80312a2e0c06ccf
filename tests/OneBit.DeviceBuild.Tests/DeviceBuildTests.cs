using System.Diagnostics;
using OneBit.DeviceBuild;
using OneBit.Paths;
using OneBit.PeWriter;
using OneBit.Runtime.Host;
using Xunit;
using Xunit.Abstractions;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// The whole build-device pipeline on the app variant that needs no hardware library (device/OneBit.App.Synthetic):
/// dotnet build against the nanoFramework mscorlib, the .pe writer, the model, the image. One class: its tests share
/// the project's obj/ folder and must not run in parallel.
/// </summary>
public class DeviceBuildTests(ITestOutputHelper output)
{
    private static string SyntheticProject => RepositoryPaths.Combine("device", "OneBit.App.Synthetic", "OneBit.App.Synthetic.csproj");

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>A small blob with self-test vectors (the shape of the runtime tests' synthetic networks).</summary>
    private static string MakeBlob(string dir, int seed = 3)
    {
        var net = SyntheticNetworks.Make(seed, height: 8, width: 8, inChannels: 3, baseWidth: 8, blocks: 2, classes: 4);
        var frames = Enumerable.Range(0, 2).Select(i => SyntheticNetworks.RandomPixels(new Random(i), net.InputBytes)).ToArray();
        var path = Path.Combine(dir, "tiny.obnb");
        File.WriteAllBytes(path, TestVectorMaker.WriteWithTestVectors(net, frames));
        return path;
    }

    private DeviceBuildOptions Options(string dir) => new()
    {
        Project = SyntheticProject,
        Configuration = Configuration,
        OutputDirectory = Path.Combine(dir, "out"),
        GlobalPackagesFolder = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestSupport.CoreLibraryDir().TrimEnd('/', '\\')))),
        Log = output.WriteLine,
    };

    [Fact]
    public void SyntheticVariantBuildsIntoACompleteCheckedImage()
    {
        var sw = Stopwatch.StartNew();
        var dir = TestSupport.TempDir("synthetic");
        var blobPath = MakeBlob(dir);
        var blob = File.ReadAllBytes(blobPath);
        var o = Options(dir);
        o.Model = blobPath;
        o.ModelRoute = ModelRoute.StaticArray;
        o.NativeProject = InteropAssembly.Project(RepositoryPaths.Root);

        var result = DeviceBuilder.Build(o);
        output.WriteLine($"build-device took {sw.Elapsed.TotalSeconds:F1} s");

        // complete: mscorlib (shipped, byte for byte), the runtime core, the app, and last the interop assembly that
        // nothing references — nothing else, in load order
        Assert.Equal(new[] { "mscorlib", "OneBit.Runtime", "OneBit.App.Synthetic", "OneBit.Native" }, result.Image.Entries.Select(e => e.Name));
        Assert.Equal(TestSupport.Mscorlib().Bytes, result.Image.Bytes.AsSpan(0, result.Image.Entries[0].Size).ToArray());
        Assert.Empty(DeviceBuilder.Check(result.ImagePath));
        Assert.Empty(result.Warnings);
        var manifest = ImageManifest.Read(result.ManifestPath);
        Assert.Contains("static array", manifest.Model);
        Assert.Equal("0x1E0000", manifest.DeployAddress);
        foreach (var e in result.Image.Entries)
        {
            Assert.Equal(0, e.Offset % 4);
            Assert.True(File.Exists(Path.Combine(o.OutputDirectory, "pe", e.Name + ".pe")));
        }

        // the blob's bytes are in the app's .pe (the static initializer lives in the signature table)
        var app = result.Image.Entries[2];
        var appBytes = result.Image.Bytes.AsSpan((int)app.Offset, app.Size);
        Assert.True(appBytes.IndexOf(blob) >= 0, "the model blob is not inside OneBit.App.Synthetic.pe");
        var reader = new PeReader(appBytes.ToArray());
        // nanoCLR starts the method flagged MD_EntryPoint: the project must be an Exe
        Assert.Contains(reader.MethodDefs(), m => m.Name == "Main" && (m.Flags & PeFile.EntryPointFlag) != 0);
        Assert.Equal("Main", PeFile.Parse(appBytes.ToArray(), "app").EntryPoint);
        Assert.Null(TestSupport.Mscorlib().EntryPoint);
        Assert.StartsWith("NuGet nanoFramework.CoreLibrary 1.17.11", manifest.Assemblies[0].Origin);
        Assert.Contains(reader.AssemblyRefs(), r => r.Name == "OneBit.Runtime");
        Assert.DoesNotContain(reader.AssemblyRefs(), r => r.Name == "OneBit.Native");

        // OneBit.Native's manifest entry: the checksum our writer put into its header, which is the firmware table's
        var native = result.Image.Entries[3];
        var nativePe = PeFile.Parse(result.Image.Bytes.AsSpan((int)native.Offset, native.Size).ToArray(), "image");
        var entry = manifest.Assemblies[3];
        Assert.Equal("OneBit.Native", entry.Name);
        Assert.Equal($"0x{nativePe.NativeMethodsChecksum:X8}", entry.NativeMethodsChecksum);
        Assert.Equal($"0x{TestSupport.FirmwareTableChecksum():X8}", entry.NativeMethodsChecksum);
        Assert.Equal(nativePe.Version.ToString(), entry.Version);
        Assert.Equal(new[] { "OneBit.Runtime", "mscorlib" }, entry.References.OrderBy(n => n, StringComparer.Ordinal));
        Assert.StartsWith("written from OneBit.Native.dll", entry.Origin);
        Assert.Equal(result.Image.Bytes.Length, (int)(native.Offset + native.Size + native.Padding));

        // left out: the same app without it, and no stale OneBit.Native.pe beside the image
        o.NativeProject = null;
        o.NoBuild = true;
        var stock = DeviceBuilder.Build(o);
        Assert.Equal(new[] { "mscorlib", "OneBit.Runtime", "OneBit.App.Synthetic" }, stock.Image.Entries.Select(e => e.Name));
        Assert.Equal(result.Image.Bytes.AsSpan(0, (int)native.Offset).ToArray(), stock.Image.Bytes);
        Assert.Empty(DeviceBuilder.Check(stock.ImagePath));
        Assert.False(File.Exists(Path.Combine(o.OutputDirectory, "pe", "OneBit.Native.pe")));
    }

    [Fact]
    public void ResourceRouteEmbedsTheBlobAndNeedsTheResourceManagerPackage()
    {
        var dir = TestSupport.TempDir("resource");
        var blobPath = MakeBlob(dir, seed: 5);
        var blob = File.ReadAllBytes(blobPath);
        var o = Options(dir);
        o.Model = blobPath;
        o.ModelRoute = ModelRoute.Resource;
        o.ResourceFile = "OneBit.App.Synthetic.Resources.resources";

        // the global package folder has only the core library: the message names package, file and where it looked
        var e = Assert.Throws<MissingPeException>(() => DeviceBuilder.Build(o));
        output.WriteLine(e.Message);
        Assert.Contains("missing nanoFramework.ResourceManager", e.Message);
        Assert.Contains("lib/nanoFramework.ResourceManager.pe", e.Message);

        // with the package in a packages.config folder (fake .pe: this machine cannot restore the real one) the image builds
        var corlib = TestSupport.Mscorlib();
        var lib = Path.Combine(dir, "packages", "nanoFramework.ResourceManager.1.2.32", "lib");
        Directory.CreateDirectory(lib);
        File.WriteAllBytes(Path.Combine(lib, "nanoFramework.ResourceManager.pe"),
            TestSupport.FakePe("nanoFramework.ResourceManager", new Version(1, 2, 0, 0), new[] { ("mscorlib", corlib.Version) }));
        var config = Path.Combine(dir, "packages.config");
        File.WriteAllText(config, "<packages><package id=\"nanoFramework.ResourceManager\" version=\"1.2.32\" /></packages>");
        o.PackagesConfigs.Add(config);
        o.NoBuild = true;
        var result = DeviceBuilder.Build(o);
        Assert.Equal("mscorlib", result.Image.Entries[0].Name);
        Assert.Contains(result.Image.Entries, x => x.Name == "nanoFramework.ResourceManager");
        Assert.Empty(DeviceBuilder.Check(result.ImagePath));

        // the app's .pe carries the blob as a binary resource (kind 4) in its resource tables
        var app = result.Image.Entries.Single(x => x.Name == "OneBit.App.Synthetic");
        var reader = new PeReader(result.Image.Bytes.AsSpan((int)app.Offset, app.Size).ToArray());
        var resource = Assert.Single(reader.Resources(), r => r.Kind != 0);
        Assert.Equal(4, resource.Kind);
        var data = reader.Layout.TableBytes(PeTable.ResourcesData);
        Assert.Equal(blob, data.Slice((int)resource.Offset, blob.Length).ToArray());
        var file = Assert.Single(reader.ResourceFiles());
        Assert.Equal("OneBit.App.Synthetic.Resources.nanoresources", file.Name);
    }

    [Fact]
    public void StaticRouteRefusesBlobsAboveItsLimit()
    {
        var big = new byte[ModelEmbedding.MaxStaticArrayBytes + 1];
        var e = Assert.Throws<ArgumentException>(() => ModelEmbedding.StaticArraySource(big, "big"));
        Assert.Contains("resource route", e.Message);
        var src = ModelEmbedding.StaticArraySource(new byte[] { 1, 2, 255 }, "a \"quoted\" name");
        Assert.Contains("0x01, 0x02, 0xFF,", src);
        Assert.Contains("a \\\"quoted\\\" name", src);
    }

    [Fact]
    public void AnImageWithoutEntryPointIsRefused()
    {
        var dir = TestSupport.TempDir("noentry");
        File.WriteAllBytes(Path.Combine(dir, "OneBit.Lib.pe"),
            TestSupport.FakePe("OneBit.Lib", new Version(1, 0, 0, 0), new[] { ("mscorlib", TestSupport.Mscorlib().Version) }));
        var o = Options(dir);
        o.Project = null;
        o.PeDirectory = dir;
        o.ModelRoute = ModelRoute.None;
        Assert.Contains("OutputType", Assert.Throws<ImageException>(() => DeviceBuilder.Build(o)).Message);
    }

    [Fact]
    public void PeDirectoryModeAssemblesReadyPeFilesAndFetchesTheCoreLibrary()
    {
        var dir = TestSupport.TempDir("pedir");
        var corlib = TestSupport.Mscorlib();
        File.WriteAllBytes(Path.Combine(dir, "OneBit.App.pe"),
            TestSupport.FakePe("OneBit.App", new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version), ("OneBit.Lib", new Version(1, 0, 0, 0)) }, entryPoint: true));
        File.WriteAllBytes(Path.Combine(dir, "OneBit.Lib.pe"),
            TestSupport.FakePe("OneBit.Lib", new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version) }));
        var o = Options(dir);
        o.Project = null;
        o.PeDirectory = dir;
        o.ModelRoute = ModelRoute.None;
        var result = DeviceBuilder.Build(o);
        Assert.Equal(new[] { "mscorlib", "OneBit.Lib", "OneBit.App" }, result.Image.Entries.Select(x => x.Name));
        Assert.Empty(DeviceBuilder.Check(result.ImagePath));
    }

    [Fact]
    public void OneBitNativeOfAPeFolderIsLeftOutAndAReferenceToItRefused()
    {
        var dir = TestSupport.TempDir("pedir-native");
        var corlib = TestSupport.Mscorlib();
        File.WriteAllBytes(Path.Combine(dir, "OneBit.App.pe"),
            TestSupport.FakePe("OneBit.App", new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version) }, entryPoint: true));
        File.WriteAllBytes(Path.Combine(dir, "OneBit.Native.pe"),
            TestSupport.FakePe("OneBit.Native", new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version) }));
        var o = Options(dir);
        o.Project = null;
        o.PeDirectory = dir;
        o.ModelRoute = ModelRoute.None;

        // the image takes OneBit.Native from its project only (here: none), never a copy of unknown origin
        var result = DeviceBuilder.Build(o);
        Assert.Equal(new[] { "mscorlib", "OneBit.App" }, result.Image.Entries.Select(x => x.Name));

        // an app that references it would not load on stock firmware
        File.WriteAllBytes(Path.Combine(dir, "OneBit.App.pe"),
            TestSupport.FakePe("OneBit.App", new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version), ("OneBit.Native", new Version(1, 0, 0, 0)) }, entryPoint: true));
        var e = Assert.Throws<ImageException>(() => DeviceBuilder.Build(o));
        Assert.StartsWith("OneBit.App reference(s) OneBit.Native: on stock firmware nanoCLR refuses it", e.Message);
    }
}
