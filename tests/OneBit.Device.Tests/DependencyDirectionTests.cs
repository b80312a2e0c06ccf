using System.Text.RegularExpressions;
using System.Xml.Linq;
using OneBit.Paths;

namespace OneBit.Device.Tests;

/// <summary>
/// The folder layout is the architecture: shared/ is the portable core, device/ holds device code (and host builds of
/// it), host-tools/ the host programs. These checks keep the references pointing that way.
/// </summary>
public class DependencyDirectionTests
{
    private static string Root => RepositoryPaths.Root;

    private static IEnumerable<string> Projects(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"));

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>Repository-relative targets of the project's items of <paramref name="kind"/>.</summary>
    private static IEnumerable<string> Items(string project, string kind) =>
        XDocument.Load(project).Descendants(kind)
            .Select(e => e.Attribute("Include")?.Value)
            .Where(v => v != null && !v.Contains("$("))
            .SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries))
            .Select(v => Relative(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project), v.Replace('\\', '/')))));

    [Fact]
    public void HostToolsReferenceDeviceCodeOnlyThroughTheCameraDriverLibrary()
    {
        var projects = Projects("host-tools").ToList();
        Assert.Contains(projects, p => p.EndsWith("OneBit.Camera.Host.csproj"));
        foreach (string project in projects)
        {
            foreach (string target in Items(project, "ProjectReference"))
            {
                bool allowed = target.StartsWith("host-tools/") || target.StartsWith("shared/")
                    || target == "device/OneBit.Camera/OneBit.Camera.csproj" && project.EndsWith("OneBit.Camera.Host.csproj");
                Assert.True(allowed, $"{Relative(project)} references {target}");
            }
        }
    }

    [Fact]
    public void NoTestCompilesAnotherFoldersSources()
    {
        foreach (string project in Projects("tests").Concat(Projects("benchmarks")))
        {
            string own = Relative(Path.GetDirectoryName(project)) + "/";
            foreach (string source in Items(project, "Compile"))
                Assert.True(source.StartsWith(own), $"{Relative(project)} compiles {source}; reference a project that builds it");
        }
    }

    [Fact]
    public void DeviceFolderHoldsNoHostProgram()
    {
        foreach (string project in Projects("device"))
        {
            var doc = XDocument.Load(project);
            string tfm = doc.Descendants("TargetFramework").LastOrDefault()?.Value ?? "";
            bool host = tfm.StartsWith("net") && !tfm.StartsWith("netstandard");
            bool exe = doc.Descendants("OutputType").LastOrDefault()?.Value == "Exe";
            Assert.False(host && exe, $"{Relative(project)} is a host program; it belongs under host-tools/");
        }
    }

    [Fact]
    public void OnlyOneBitPathsWalksUpToTheSolution()
    {
        var walkers = Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && File.ReadAllText(f).Contains("\"Embedded.sln\""))
            .Select(Relative).ToList();
        Assert.Equal(new[] { "host-tools/OneBit.Paths/RepositoryPaths.cs" }, walkers);
    }

    [Fact]
    public void OneClassPerCrcAlgorithm()
    {
        // a CRC table is built from its polynomial in code: one file per polynomial outside the tests
        var tables = Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("/tests/"))
            .Where(f => File.ReadLines(f).Any(l => !l.TrimStart().StartsWith("//") && Regex.IsMatch(l, "0x(EDB88320|04C11DB7)")))
            .Select(Relative).OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "host-tools/OneBit.PeWriter/Crc32Mpeg2.cs", "shared/Crc32.cs" }, tables);
    }
}
