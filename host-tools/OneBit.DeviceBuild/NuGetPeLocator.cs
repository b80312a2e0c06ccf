using System.Xml.Linq;

namespace OneBit.DeviceBuild;

/// <summary>A NuGet package id with an optional exact version (null: any version whose .pe fits).</summary>
public sealed record PackageSpec(string Id, string? Version);

/// <summary>
/// Finds the <c>.pe</c> files that nanoFramework class libraries ship in their NuGet packages (lib/NAME.pe beside
/// lib/NAME.dll). Looks in the user's global package folder (NUGET_PACKAGES, else ~/.nuget/packages, layout
/// id-lowercase/version/) and in packages.config folders (layout Id.Version/, e.g. device/OneBit.App/packages),
/// never over the network: restore the packages first (Visual Studio, `nuget restore OneBit.App.nfproj`, or any
/// project with a PackageReference).
/// </summary>
public sealed class NuGetPeLocator
{
    /// <summary>nanoFramework assembly name → NuGet package id, where they differ or are well known.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownPackages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mscorlib"] = "nanoFramework.CoreLibrary",
        ["nanoFramework.Hardware.Esp32"] = "nanoFramework.Hardware.Esp32",
        ["nanoFramework.ResourceManager"] = "nanoFramework.ResourceManager",
        ["nanoFramework.Runtime.Events"] = "nanoFramework.Runtime.Events",
        ["nanoFramework.Runtime.Native"] = "nanoFramework.Runtime.Native",
        ["System.Device.Gpio"] = "nanoFramework.System.Device.Gpio",
        ["System.Device.I2c"] = "nanoFramework.System.Device.I2c",
        ["System.Device.Spi"] = "nanoFramework.System.Device.Spi",
        ["System.Device.Pwm"] = "nanoFramework.System.Device.Pwm",
        ["System.Device.Adc"] = "nanoFramework.System.Device.Adc",
        ["System.Device.Dac"] = "nanoFramework.System.Device.Dac",
        ["System.Device.Wifi"] = "nanoFramework.System.Device.Wifi",
        ["System.Math"] = "nanoFramework.System.Math",
        ["System.Text"] = "nanoFramework.System.Text",
        ["System.Collections"] = "nanoFramework.System.Collections",
        ["System.IO.Streams"] = "nanoFramework.System.IO.Streams",
        ["System.IO.FileSystem"] = "nanoFramework.System.IO.FileSystem",
        ["System.Runtime"] = "nanoFramework.System.Runtime",
        ["System.Threading"] = "nanoFramework.System.Threading",
        ["System.Net"] = "nanoFramework.System.Net",
        ["Windows.Storage"] = "nanoFramework.Windows.Storage",
    };

    private readonly List<string> _globalRoots = new();
    private readonly List<string> _configRoots = new();
    private readonly Dictionary<string, string> _pinned = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="globalPackagesFolder">null: NUGET_PACKAGES, else ~/.nuget/packages</param>
    public NuGetPeLocator(string? globalPackagesFolder = null)
    {
        _globalRoots.Add(globalPackagesFolder ?? DefaultGlobalPackagesFolder());
    }

    public static string DefaultGlobalPackagesFolder()
    {
        var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env;
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    public IReadOnlyList<string> SearchedFolders => _globalRoots.Concat(_configRoots).ToList();

    /// <summary>Adds a packages.config-style folder (Id.Version subfolders).</summary>
    public void AddPackagesFolder(string folder) => _configRoots.Add(folder);

    /// <summary>Pins a package to a version (packages.config or --package Id=Version).</summary>
    public void Pin(string id, string version) => _pinned[id] = version;

    /// <summary>Pins every package of a packages.config and searches its sibling packages/ folder.</summary>
    public void AddPackagesConfig(string path)
    {
        foreach (var p in ReadPackagesConfig(path))
        {
            Pin(p.Id, p.Version!);
        }

        AddPackagesFolder(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "packages"));
    }

    public static IReadOnlyList<PackageSpec> ReadPackagesConfig(string path)
    {
        var doc = XDocument.Load(path);
        return doc.Root!.Elements("package")
            .Select(e => new PackageSpec((string?)e.Attribute("id") ?? throw new InvalidDataException($"{path}: <package> without id"),
                (string?)e.Attribute("version") ?? throw new InvalidDataException($"{path}: package {(string?)e.Attribute("id")} without version")))
            .ToList();
    }

    /// <summary>The package ids that may hold assembly <paramref name="assemblyName"/>.</summary>
    public IEnumerable<string> CandidatePackages(string assemblyName)
    {
        var ids = new List<string>();
        if (KnownPackages.TryGetValue(assemblyName, out var known))
        {
            ids.Add(known);
        }

        ids.Add(assemblyName);
        if (!assemblyName.StartsWith("nanoFramework.", StringComparison.Ordinal))
        {
            ids.Add("nanoFramework." + assemblyName);
        }

        return ids.Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Finds NAME.pe for an assembly: in the pinned version of its package, or else in the installed version whose
    /// .pe has the wanted version (exact first, then the same major.minor, newest first).
    /// </summary>
    public PeLookup Find(string assemblyName, Version? wanted = null)
    {
        string file = "lib/" + assemblyName + ".pe";
        var looked = new List<string>();
        foreach (var id in CandidatePackages(assemblyName))
        {
            if (_pinned.TryGetValue(id, out var version))
            {
                foreach (var dir in VersionFolders(id, version))
                {
                    var path = Path.Combine(dir, "lib", assemblyName + ".pe");
                    looked.Add(path);
                    if (File.Exists(path))
                    {
                        return new PeLookup(assemblyName, new PackageSpec(id, version), path, looked, file);
                    }
                }

                return new PeLookup(assemblyName, new PackageSpec(id, version), null, looked, file);
            }
        }

        (string Path, PackageSpec Package, Version Version)? best = null;
        int bestScore = -1;
        foreach (var id in CandidatePackages(assemblyName))
        {
            if (!InstalledVersions(id).Any())
            {
                looked.AddRange(_globalRoots.Select(r => Path.Combine(r, id.ToLowerInvariant()) + Path.DirectorySeparatorChar)
                    .Concat(_configRoots.Select(r => Path.Combine(r, id + ".*"))));
            }

            foreach (var (dir, version) in InstalledVersions(id))
            {
                var path = Path.Combine(dir, "lib", assemblyName + ".pe");
                looked.Add(path);
                if (!File.Exists(path))
                {
                    continue;
                }

                Version peVersion;
                try
                {
                    peVersion = PeFile.Load(path).Version;
                }
                catch (InvalidDataException)
                {
                    continue;
                }

                int score = wanted == null ? 1 : peVersion == wanted ? 3 : peVersion.Major == wanted.Major && peVersion.Minor == wanted.Minor ? 2 : 0;
                if (score > bestScore || (score == bestScore && best != null && CompareVersions(version, best.Value.Package.Version!) > 0))
                {
                    best = (path, new PackageSpec(id, version), peVersion);
                    bestScore = score;
                }
            }
        }

        if (best != null && bestScore > 0)
        {
            return new PeLookup(assemblyName, best.Value.Package, best.Value.Path, looked, file);
        }

        var guess = CandidatePackages(assemblyName).First();
        return new PeLookup(assemblyName, new PackageSpec(guess, null), null, looked, file, best?.Version);
    }

    private IEnumerable<string> VersionFolders(string id, string version)
    {
        foreach (var root in _globalRoots)
        {
            yield return Path.Combine(root, id.ToLowerInvariant(), version.ToLowerInvariant());
        }

        foreach (var root in _configRoots)
        {
            yield return Path.Combine(root, id + "." + version);
        }
    }

    private IEnumerable<(string Dir, string Version)> InstalledVersions(string id)
    {
        foreach (var root in _globalRoots)
        {
            var dir = Path.Combine(root, id.ToLowerInvariant());
            if (Directory.Exists(dir))
            {
                foreach (var v in Directory.GetDirectories(dir))
                {
                    yield return (v, Path.GetFileName(v));
                }
            }
        }

        foreach (var root in _configRoots.Where(Directory.Exists))
        {
            foreach (var d in Directory.GetDirectories(root, id + ".*"))
            {
                var v = Path.GetFileName(d)[(id.Length + 1)..];
                if (v.Length > 0 && char.IsDigit(v[0]))
                {
                    yield return (d, v);
                }
            }
        }
    }

    private static int CompareVersions(string a, string b)
    {
        static Version Parse(string s) => Version.TryParse(s.Split('-', '+')[0], out var v) ? v : new Version(0, 0);
        return Parse(a).CompareTo(Parse(b));
    }
}

/// <summary>The outcome of a .pe lookup; <see cref="Path"/> is null when the file is missing.</summary>
public sealed record PeLookup(string Assembly, PackageSpec Package, string? Path, IReadOnlyList<string> Looked, string File, Version? WrongVersionFound = null)
{
    public bool Found => Path != null;

    /// <summary>Says exactly which package, version and file is missing, where it was looked for and how to get it.</summary>
    public string MissingMessage(Version? wanted)
    {
        string version = Package.Version ?? "(any version" + (wanted != null ? $" whose {File} is assembly version {wanted}" : "") + ")";
        var text = $"missing {Package.Id} {version}: file {File} (assembly {Assembly}{(wanted != null ? " " + wanted : "")})";
        if (WrongVersionFound != null)
        {
            text += $"; an installed version holds {Assembly} {WrongVersionFound}, which does not match";
        }

        text += Environment.NewLine + "    looked in: " + (Looked.Count == 0 ? "(no installed version of the package)" : string.Join(Environment.NewLine + "               ", Looked.Distinct()));
        text += Environment.NewLine + $"    restore it where NuGet packages can be restored, e.g. `nuget install {Package.Id}{(Package.Version != null ? " -Version " + Package.Version : "")} -OutputDirectory <folder>` (then --packages-folder <folder>) or a restore of device/OneBit.App/OneBit.App.nfproj; or set NUGET_PACKAGES";
        return text;
    }
}
