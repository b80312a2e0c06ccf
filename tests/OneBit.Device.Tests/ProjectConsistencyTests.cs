using System.Xml.Linq;
using OneBit.Paths;

namespace OneBit.Device.Tests;

/// <summary>
/// The Visual Studio project (OneBit.App.nfproj) cannot be built here, so its consistency is checked: it must
/// compile exactly the CI compile check's file set plus the hardware-only files, reference the packages of
/// packages.config, and the device README must list every hardware-only file.
/// </summary>
public class ProjectConsistencyTests
{
    private static string Root => RepositoryPaths.Root;

    private static string AppDir => Path.Combine(Root, "device", "OneBit.App");

    /// <summary>Evaluates the Compile items of a project: Include "dir/**/*.cs" with Excludes "dir/sub/**" or a file.</summary>
    private static HashSet<string> CompiledFiles(string projectPath)
    {
        string dir = Path.GetDirectoryName(projectPath);
        var files = new HashSet<string>();
        foreach (XElement c in XDocument.Load(projectPath).Descendants().Where(e => e.Name.LocalName == "Compile"))
        {
            string include = c.Attribute("Include")?.Value;
            if (include == null) continue;
            include = include.Replace('\\', '/');
            Assert.EndsWith("**/*.cs", include);
            string baseDir = Path.GetFullPath(Path.Combine(dir, include[..^"**/*.cs".Length]));
            var excludes = (c.Attribute("Exclude")?.Value ?? "").Replace('\\', '/').Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(x => x.EndsWith("/**") ? (Path.GetFullPath(Path.Combine(dir, x[..^3])) + "/", true) : (Path.GetFullPath(Path.Combine(dir, x)), false))
                .ToList();
            foreach (string f in Directory.EnumerateFiles(baseDir, "*.cs", SearchOption.AllDirectories))
            {
                string full = Path.GetFullPath(f);
                if (excludes.Any(x => x.Item2 ? full.StartsWith(x.Item1) : full == x.Item1)) continue;
                files.Add(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }
        return files;
    }

    private static IEnumerable<string> HardwareOnlyFiles() =>
        new[] { "device/OneBit.App/nanoFramework", "device/OneBit.Camera/nanoFramework" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'));

    [Fact]
    public void TheNfprojCompilesTheCheckedSourcesPlusTheHardwareOnlyFiles()
    {
        var check = CompiledFiles(Path.Combine(AppDir, "NanoFrameworkCheck", "OneBit.Device.NanoFramework.csproj"));
        var nf = CompiledFiles(Path.Combine(AppDir, "OneBit.App.nfproj"));
        var hardware = HardwareOnlyFiles().ToHashSet();
        Assert.NotEmpty(hardware);
        Assert.Empty(check.Intersect(hardware));
        Assert.Contains("shared/Frames/FramePreprocessor.cs", check);
        Assert.Contains("device/OneBit.Camera/ArduCamMini2MP.cs", check);
        Assert.Contains("device/OneBit.App/DeviceApp.cs", check);
        Assert.DoesNotContain(check, f => f.StartsWith("shared/Host/"));
        var expected = check.Union(hardware).OrderBy(x => x).ToList();
        Assert.Equal(expected, nf.Where(f => !f.EndsWith("Resources.Designer.cs")).OrderBy(x => x).ToList());
    }

    [Fact]
    public void TheNfprojReferencesExactlyThePackagesOfPackagesConfig()
    {
        var packages = XDocument.Load(Path.Combine(AppDir, "packages.config")).Root.Elements("package")
            .Select(p => p.Attribute("id").Value + "." + p.Attribute("version").Value).OrderBy(x => x).ToList();
        var hintPaths = XDocument.Load(Path.Combine(AppDir, "OneBit.App.nfproj")).Descendants().Where(e => e.Name.LocalName == "HintPath")
            .Select(h => h.Value.Replace('\\', '/').Split('/')[1]).OrderBy(x => x).ToList();
        Assert.Equal(packages, hintPaths);
        Assert.Contains("nanoFramework.CoreLibrary.1.17.11", packages);   // the version CI compiles against
    }

    [Fact]
    public void TheDeviceReadmeListsEveryHardwareOnlyFile()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "device", "README.md"));
        foreach (string f in HardwareOnlyFiles()) Assert.Contains(f, readme);
    }
}
