using System.Text.Json;
using OneBit.PeWriter;

namespace OneBit.DeviceBuild;

/// <summary>What <see cref="DeviceBuilder"/> builds and where.</summary>
public sealed class DeviceBuildOptions
{
    /// <summary>The nanoFramework-targeted SDK-style project of the app (recipe of DESIGN.md §3).</summary>
    public string? Project { get; set; }

    /// <summary>Instead of building: a folder of ready .pe files (e.g. the bin folder of OneBit.App.nfproj built by Visual Studio).</summary>
    public string? PeDirectory { get; set; }

    public string Configuration { get; set; } = "Release";

    /// <summary>The model blob (.obnb) to put into the app, or null.</summary>
    public string? Model { get; set; }

    public ModelRoute ModelRoute { get; set; } = ModelRoute.Resource;

    public string ResourceFile { get; set; } = ModelEmbedding.DefaultResourceFile;

    public string ResourceEntry { get; set; } = ModelEmbedding.DefaultResourceName;

    /// <summary>Folder for app.bin, its manifest, the .pe files and intermediate files.</summary>
    public string OutputDirectory { get; set; } = "device-build";

    public string ImageName { get; set; } = "app.bin";

    /// <summary>Skip `dotnet build` (use the project's existing output).</summary>
    public bool NoBuild { get; set; }

    /// <summary>packages.config files whose versions pin the NuGet packages that ship .pe files.</summary>
    public IList<string> PackagesConfigs { get; } = new List<string>();

    /// <summary>Extra packages.config-style folders (Id.Version subfolders).</summary>
    public IList<string> PackagesFolders { get; } = new List<string>();

    /// <summary>null: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public string? GlobalPackagesFolder { get; set; }

    /// <summary>Assemblies the image must contain although no reference names them (e.g. nanoFramework.ResourceManager when loaded by reflection).</summary>
    public IList<string> ExtraAssemblies { get; } = new List<string>();

    /// <summary>
    /// The interop project of the firmware's native kernels (<see cref="InteropAssembly.Project"/>): built, and its .pe
    /// put into the image as the last assembly. null leaves it out (stock firmware runs the tuned kernels either way).
    /// </summary>
    public string? NativeProject { get; set; }

    public uint DeployAddress { get; set; } = FlashPlan.DefaultDeployAddress;

    /// <summary>The dotnet executable (default: the one running this process when known, else dotnet on PATH).</summary>
    public string Dotnet { get; set; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Progress lines (build output is passed through only on failure).</summary>
    public Action<string>? Log { get; set; }
}

public sealed record DeviceBuildResult(string ImagePath, string ManifestPath, AppImage Image, IReadOnlyList<string> Warnings);

/// <summary>
/// `onebit build-device`: dotnet build of the nanoFramework-targeted app project, the .pe writer on every assembly
/// the build produced, shipped .pe files for the nanoFramework libraries (from NuGet packages), the model blob by the
/// chosen <see cref="ModelRoute"/>, and the image with its manifest (<see cref="AppImage"/>).
/// </summary>
public static class DeviceBuilder
{
    public const string ModelDataProperty = "OneBitModelData";

    public static DeviceBuildResult Build(DeviceBuildOptions o)
    {
        var log = o.Log ?? (_ => { });
        var output = Path.GetFullPath(o.OutputDirectory);
        var peDir = Path.Combine(output, "pe");
        Directory.CreateDirectory(peDir);
        foreach (var stale in Directory.GetFiles(peDir, "*.pe"))
        {
            File.Delete(stale);
        }

        var locator = new NuGetPeLocator(o.GlobalPackagesFolder);
        foreach (var config in o.PackagesConfigs)
        {
            locator.AddPackagesConfig(config);
        }

        foreach (var folder in o.PackagesFolders)
        {
            locator.AddPackagesFolder(folder);
        }

        byte[]? blob = o.Model != null ? File.ReadAllBytes(o.Model) : null;
        string? modelNote = null;
        var files = new Dictionary<string, PeFile>(StringComparer.Ordinal);
        var extras = new List<string>(o.ExtraAssemblies);
        string? searchDir;
        var writerOptions = new PeWriterOptions();

        if (o.PeDirectory != null)
        {
            if (blob != null)
            {
                throw new ArgumentException("--model cannot be combined with --pe-dir: the .pe files are already built (embed the model in the project that made them)");
            }

            searchDir = Path.GetFullPath(o.PeDirectory);
            foreach (var path in Directory.GetFiles(searchDir, "*.pe").OrderBy(p => p, StringComparer.Ordinal))
            {
                var pe = PeFile.Load(path);
                if (pe.Name == InteropAssembly.Name)
                {
                    log($"{Path.GetFileName(path)} of the folder left out: the image takes {InteropAssembly.Name} from its project, or leaves it out");
                    continue;
                }

                files[pe.Name] = pe;
            }

            if (files.Count == 0)
            {
                throw new ArgumentException($"no .pe files in {o.PeDirectory}");
            }

            log($"{files.Count} .pe files from {o.PeDirectory}");
        }
        else
        {
            if (o.Project == null)
            {
                throw new ArgumentException("give the app project (--project / --variant) or a folder of .pe files (--pe-dir)");
            }

            var properties = BuildProperties(o, output);
            if (blob != null && o.ModelRoute == ModelRoute.StaticArray)
            {
                var source = Path.Combine(output, "obj", "ModelData.g.cs");
                Directory.CreateDirectory(Path.GetDirectoryName(source)!);
                var text = ModelEmbedding.StaticArraySource(blob, $"{Path.GetFileName(o.Model)}, static array");
                if (!File.Exists(source) || File.ReadAllText(source) != text)
                {
                    File.WriteAllText(source, text);
                }

                properties.Add($"-p:{ModelDataProperty}={source}");
                modelNote = $"{Path.GetFileName(o.Model)} ({blob.Length} bytes) as a static array initializer";
            }

            string targetPath = BuildProject(o, o.Project, properties, log);
            searchDir = Path.GetDirectoryName(targetPath)!;
            writerOptions.ReferenceDirectories.Add(searchDir);
            var corlib = locator.Find(AppImage.CoreLibrary);
            if (corlib.Found)
            {
                writerOptions.ReferenceDirectories.Add(Path.GetDirectoryName(corlib.Path!)!);
            }

            string appDll = targetPath;
            if (blob != null && o.ModelRoute == ModelRoute.Resource)
            {
                appDll = Path.Combine(output, "obj", Path.GetFileName(targetPath));
                ModelEmbedding.EmbedResource(targetPath, appDll, blob, o.ResourceFile, o.ResourceEntry);
                modelNote = $"{Path.GetFileName(o.Model)} ({blob.Length} bytes) as binary resource '{o.ResourceEntry}' of {o.ResourceFile}";
                // the app reads the resource through nanoFramework.ResourceManager (a reference it has anyway when it calls it)
                extras.Add("nanoFramework.ResourceManager");
            }
            else if (blob != null && o.ModelRoute == ModelRoute.None)
            {
                throw new ArgumentException("--model given with model route 'none'");
            }

            var app = WritePe(appDll, writerOptions, log);
            files[app.Name] = app;
        }

        // the closure: every referenced assembly, from NuGet (shipped .pe), the build output (.pe writer) or the .pe folder
        var warnings = new List<string>();
        var missing = new List<string>();
        var queue = new Queue<(string Name, Version? Version)>(files.Values.SelectMany(f => f.References).Select(r => (r.Name, (Version?)r.Version)));
        queue.Enqueue((AppImage.CoreLibrary, null));
        foreach (var extra in extras)
        {
            queue.Enqueue((extra, null));
        }

        var tried = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var (name, version) = queue.Dequeue();
            if (files.ContainsKey(name) || name == InteropAssembly.Name || !tried.Add(name))
            {
                continue;
            }

            PeFile? pe = null;
            bool shipped = NuGetPeLocator.KnownPackages.ContainsKey(name) || !File.Exists(Path.Combine(searchDir!, name + ".dll"));
            if (!shipped && File.Exists(Path.Combine(searchDir!, name + ".pe")))
            {
                pe = PeFile.Load(Path.Combine(searchDir!, name + ".pe"));
            }
            else if (!shipped && o.PeDirectory == null)
            {
                pe = WritePe(Path.Combine(searchDir!, name + ".dll"), writerOptions, log);
            }
            else
            {
                var lookup = locator.Find(name, version);
                if (lookup.Found)
                {
                    pe = PeFile.Load(lookup.Path!, $"NuGet {lookup.Package.Id} {lookup.Package.Version}: {lookup.File}");
                    log($"{name}: shipped .pe of {lookup.Package.Id} {lookup.Package.Version}");
                }
                else
                {
                    missing.Add(lookup.MissingMessage(version));
                    continue;
                }
            }

            files[pe.Name] = pe;
            foreach (var r in pe.References)
            {
                queue.Enqueue((r.Name, r.Version));
            }
        }

        if (missing.Count > 0)
        {
            throw new MissingPeException(missing);
        }

        var referencing = files.Values.Where(f => f.References.Any(r => r.Name == InteropAssembly.Name)).Select(f => f.Name).ToList();
        if (referencing.Count > 0)
        {
            throw new ImageException($"{string.Join(", ", referencing)} reference(s) {InteropAssembly.Name}: on stock firmware nanoCLR refuses it, and with it "
                + "everything that references it; reach it by name (shared/Kernels/Firmware/DeviceKernelChoice) instead");
        }

        var entryPoints = files.Values.Where(f => f.EntryPoint != null).Select(f => f.Name).ToList();
        if (entryPoints.Count == 0)
        {
            throw new ImageException("no assembly of the app has an entry point, so nanoCLR would start nothing: the app project needs <OutputType>Exe</OutputType> and a static Main");
        }

        if (entryPoints.Count > 1)
        {
            warnings.Add("several assemblies have an entry point (nanoCLR starts the last one it loads): " + string.Join(", ", entryPoints));
        }

        var assemblies = files.Values.ToList();
        if (o.NativeProject != null)
        {
            assemblies.Add(WriteInteropPe(o, output, locator, log));
        }

        var image = AppImage.Build(assemblies, warnings);
        if (image.Bytes.Length > FlashPlan.DefaultDeploySize)
        {
            warnings.Add($"the image ({image.Bytes.Length} bytes) is larger than the deploy partition of nanoFramework's 4 MB ESP32 layout (0x{FlashPlan.DefaultDeploySize:X} bytes)");
        }
        foreach (var f in assemblies)
        {
            File.WriteAllBytes(Path.Combine(peDir, f.Name + ".pe"), f.Bytes);
        }

        var imagePath = Path.Combine(output, o.ImageName);
        var manifestPath = image.Write(imagePath, o.DeployAddress, modelNote);
        foreach (var w in warnings)
        {
            log("warning: " + w);
        }

        return new DeviceBuildResult(imagePath, manifestPath, image, warnings);
    }

    // the build goes to our own output folder, so the project's bin/ stays as a normal build left it
    private static List<string> BuildProperties(DeviceBuildOptions o, string output) =>
        new() { "-p:Configuration=" + o.Configuration, "-p:OutDir=" + Path.Combine(output, "build") + Path.DirectorySeparatorChar };

    /// <summary>`dotnet build` (unless <see cref="DeviceBuildOptions.NoBuild"/>) and the path of the built assembly.</summary>
    private static string BuildProject(DeviceBuildOptions o, string projectPath, IEnumerable<string> properties, Action<string> log)
    {
        var project = Path.GetFullPath(projectPath);
        if (!File.Exists(project))
        {
            throw new FileNotFoundException($"project not found: {projectPath}", project);
        }

        if (!o.NoBuild)
        {
            log($"dotnet build {Path.GetFileName(project)} ({o.Configuration})");
            var build = ProcessRunner.Run(o.Dotnet, new[] { "build", project, "-nologo", "-v", "q", "-nodeReuse:false" }.Concat(properties));
            if (build.ExitCode != 0)
            {
                throw new BuildException($"dotnet build failed ({build.ExitCode}):" + Environment.NewLine + build.Output.TrimEnd());
            }
        }

        var query = ProcessRunner.Run(o.Dotnet, new[] { "msbuild", project, "-nologo", "-getProperty:TargetPath" }.Concat(properties));
        string? targetPath = null;
        if (query.ExitCode == 0)
        {
            targetPath = query.Output.Trim().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        }

        if (targetPath == null || !File.Exists(targetPath))
        {
            throw new BuildException($"could not find the built assembly of {projectPath} (TargetPath: {targetPath ?? "?"}){Environment.NewLine}{query.Output.TrimEnd()}");
        }

        return targetPath;
    }

    /// <summary>Builds <see cref="DeviceBuildOptions.NativeProject"/> into the app's build folder and writes its .pe.</summary>
    private static PeFile WriteInteropPe(DeviceBuildOptions o, string output, NuGetPeLocator locator, Action<string> log)
    {
        string dll = BuildProject(o, o.NativeProject!, BuildProperties(o, output), log);
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(Path.GetDirectoryName(dll)!);
        var corlib = locator.Find(AppImage.CoreLibrary);
        if (corlib.Found)
        {
            options.ReferenceDirectories.Add(Path.GetDirectoryName(corlib.Path!)!);
        }

        var pe = InteropAssembly.Write(dll, options);
        log($"{pe.Name}: .pe written ({pe.Bytes.Length} bytes, native-methods checksum 0x{pe.NativeMethodsChecksum:X8}), last in the image");
        return pe;
    }

    private static PeFile WritePe(string dll, PeWriterOptions options, Action<string> log)
    {
        var bytes = OneBit.PeWriter.PeWriter.Write(dll, options);
        log($"{Path.GetFileNameWithoutExtension(dll)}: .pe written ({bytes.Length} bytes)");
        return PeFile.Parse(bytes, "written from " + Path.GetFileName(dll));
    }

    /// <summary>Reads the manifest and checks it against the image: sizes, alignment, order, CRCs and each .pe's own header CRCs.</summary>
    public static IReadOnlyList<string> Check(string imagePath)
    {
        var problems = new List<string>();
        var bytes = File.ReadAllBytes(imagePath);
        var manifest = ImageManifest.Read(AppImage.ManifestPath(imagePath));
        if (manifest.Size != bytes.Length)
        {
            problems.Add($"image has {bytes.Length} bytes, manifest says {manifest.Size}");
        }

        if (manifest.Crc32 != $"0x{Crc32Mpeg2.Compute(bytes):X8}")
        {
            problems.Add($"image CRC 0x{Crc32Mpeg2.Compute(bytes):X8}, manifest says {manifest.Crc32}");
        }

        long expected = 0;
        var seen = new HashSet<string>();
        for (int i = 0; i < manifest.Assemblies.Count; i++)
        {
            var e = manifest.Assemblies[i];
            if (i == 0 && e.Name != AppImage.CoreLibrary)
            {
                problems.Add($"first assembly is {e.Name}, not mscorlib");
            }

            if (e.Offset != expected || e.Offset % AppImage.Alignment != 0)
            {
                problems.Add($"{e.Name} at offset {e.Offset}, expected {expected} (4-aligned, back to back)");
            }

            foreach (var r in e.References.Where(r => !seen.Contains(r)))
            {
                problems.Add($"{e.Name} comes before its reference {r}");
            }

            if (e.Offset + e.Size > bytes.Length)
            {
                problems.Add($"{e.Name} runs past the end of the image");
                break;
            }

            var slice = bytes.AsSpan((int)e.Offset, e.Size).ToArray();
            if (e.Crc32 != $"0x{Crc32Mpeg2.Compute(slice):X8}")
            {
                problems.Add($"{e.Name}: CRC 0x{Crc32Mpeg2.Compute(slice):X8}, manifest says {e.Crc32}");
            }

            try
            {
                var pe = PeFile.Parse(slice, e.Name);
                if (pe.Name != e.Name)
                {
                    problems.Add($"manifest entry {e.Name} holds assembly {pe.Name}");
                }
            }
            catch (InvalidDataException ex)
            {
                problems.Add(ex.Message);
            }

            if (bytes.AsSpan((int)(e.Offset + e.Size), e.Padding).IndexOfAnyExcept((byte)0) >= 0)
            {
                problems.Add($"{e.Name}: padding is not zero");
            }

            seen.Add(e.Name);
            expected = e.Offset + e.Size + e.Padding;
        }

        if (expected != bytes.Length)
        {
            problems.Add($"the assemblies end at {expected}, the image at {bytes.Length}");
        }

        return problems;
    }
}

public sealed class BuildException(string message) : Exception(message);

/// <summary>Some .pe files of the app could not be found; <see cref="Exception.Message"/> names each package, version and file.</summary>
public sealed class MissingPeException(IReadOnlyList<string> missing)
    : Exception("the app needs .pe files that are not installed:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", missing))
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
