using System.CommandLine;
using OneBit.DeviceBuild;
using OneBit.Paths;
using OneBit.PeWriter;

namespace OneBit.Cli.Commands;

/// <summary>
/// `onebit build-device`: build the nanoFramework app, write a .pe for every assembly, put the model blob in, and
/// concatenate everything into a deployable image with a manifest (host-tools/OneBit.DeviceBuild).
/// </summary>
public static class BuildDeviceCommand
{
    public static Command Create()
    {
        var cmd = new Command("build-device", "Build the device app into a deployable nanoFramework image (app.bin: every .pe, mscorlib first, 4-byte aligned) with a manifest");
        var variant = new Option<string?>("--variant") { Description = "App variant: 'synthetic' (device/OneBit.App.Synthetic: synthetic frames, no hardware library, model as a static array)" };
        var project = new Option<string?>("--project") { Description = "Any nanoFramework-targeted SDK-style app project (netstandard2.0 + nano mscorlib, DESIGN.md §3)" };
        var peDir = new Option<string?>("--pe-dir") { Description = "Assemble ready .pe files instead of building (e.g. the bin folder of OneBit.App.nfproj built by Visual Studio)" };
        var model = new Option<string?>("--model", "-m") { Description = "Model blob (.obnb) to put into the app" };
        var route = new Option<string?>("--model-route") { Description = "resource (binary resource 'model', read with nanoFramework.ResourceManager; default for --project), static (static array, ≤ 60 KB; default for the synthetic variant) or none" };
        var resourceFile = new Option<string>("--resource-file") { Description = "Embedded .resources file for the resource route", DefaultValueFactory = _ => ModelEmbedding.DefaultResourceFile };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder (default: artifacts/device/<name> in the repository)" };
        var configuration = new Option<string>("--configuration", "-c") { Description = "Build configuration", DefaultValueFactory = _ => "Release" };
        var packagesConfig = new Option<string[]>("--packages-config") { Description = "packages.config pinning the nanoFramework library versions (e.g. device/OneBit.App/packages.config)", AllowMultipleArgumentsPerToken = false };
        var packagesFolder = new Option<string[]>("--packages-folder") { Description = "Extra packages.config-style package folder (Id.Version subfolders)" };
        var nugetPackages = new Option<string?>("--nuget-packages") { Description = "Global NuGet package folder (default: NUGET_PACKAGES, else ~/.nuget/packages)" };
        var include = new Option<string[]>("--include") { Description = "Assembly to add although no reference names it (its shipped .pe is taken from NuGet)" };
        var address = new Option<string>("--address") { Description = "Deploy partition address written into the manifest", DefaultValueFactory = _ => $"0x{FlashPlan.DefaultDeployAddress:X}" };
        var noBuild = new Option<bool>("--no-build") { Description = "Use the project's existing build output" };
        var noNative = new Option<bool>("--no-native") { Description = "Leave out OneBit.Native.pe, the interop assembly of the custom firmware's native kernels (by default the last assembly of the image; stock firmware runs the C# kernels either way)" };
        foreach (Option o in new Option[] { variant, project, peDir, model, route, resourceFile, output, configuration, packagesConfig, packagesFolder, nugetPackages, include, address, noBuild, noNative })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse =>
        {
            try
            {
                var options = new DeviceBuildOptions
                {
                    Configuration = parse.GetValue(configuration)!,
                    Model = parse.GetValue(model),
                    ResourceFile = parse.GetValue(resourceFile)!,
                    NoBuild = parse.GetValue(noBuild),
                    GlobalPackagesFolder = parse.GetValue(nugetPackages),
                    DeployAddress = FlashPlan.ParseAddress(parse.GetValue(address)!),
                    Log = line => Console.WriteLine("  " + line),
                };
                string? v = parse.GetValue(variant);
                string? p = parse.GetValue(project);
                string? pe = parse.GetValue(peDir);
                if ((v != null ? 1 : 0) + (p != null ? 1 : 0) + (pe != null ? 1 : 0) != 1)
                {
                    throw new ArgumentException("give exactly one of --variant synthetic, --project PATH or --pe-dir DIR");
                }

                string? repo = RepositoryPaths.TryFindRoot();
                string name;
                if (v != null)
                {
                    if (!string.Equals(v, "synthetic", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ArgumentException($"unknown variant '{v}': the built-in variant is 'synthetic'; build the camera app (device/OneBit.App) with --project or --pe-dir");
                    }

                    if (repo == null)
                    {
                        throw new ArgumentException("--variant needs the repository (run inside it), or give --project");
                    }

                    options.Project = Path.Combine(repo, "device", "OneBit.App.Synthetic", "OneBit.App.Synthetic.csproj");
                    options.ModelRoute = ModelRoute.StaticArray;
                    name = "synthetic";
                }
                else if (p != null)
                {
                    options.Project = p;
                    options.ModelRoute = ModelRoute.Resource;
                    name = Path.GetFileNameWithoutExtension(p);
                }
                else
                {
                    options.PeDirectory = pe;
                    options.ModelRoute = ModelRoute.None;
                    name = Path.GetFileName(Path.GetFullPath(pe!).TrimEnd(Path.DirectorySeparatorChar));
                }

                options.ModelRoute = parse.GetValue(route)?.ToLowerInvariant() switch
                {
                    null => options.ModelRoute,
                    "resource" => ModelRoute.Resource,
                    "static" => ModelRoute.StaticArray,
                    "none" => ModelRoute.None,
                    var other => throw new ArgumentException($"unknown --model-route '{other}' (resource, static, none)"),
                };
                options.OutputDirectory = parse.GetValue(output) ?? Path.Combine(repo ?? Environment.CurrentDirectory, "artifacts", "device", name);
                foreach (var c in parse.GetValue(packagesConfig) ?? Array.Empty<string>())
                {
                    options.PackagesConfigs.Add(c);
                }

                foreach (var f in parse.GetValue(packagesFolder) ?? Array.Empty<string>())
                {
                    options.PackagesFolders.Add(f);
                }

                foreach (var a in parse.GetValue(include) ?? Array.Empty<string>())
                {
                    options.ExtraAssemblies.Add(a);
                }

                if (!parse.GetValue(noNative))
                {
                    options.NativeProject = repo != null
                        ? InteropAssembly.Project(repo)
                        : throw new ArgumentException($"the image's {InteropAssembly.Name}.pe is built from the repository's device/OneBit.Native (run inside it), or give --no-native for stock firmware only");
                }

                Console.WriteLine($"build-device: {options.Project ?? options.PeDirectory}");
                var result = DeviceBuilder.Build(options);
                var problems = DeviceBuilder.Check(result.ImagePath);
                Console.WriteLine();
                Console.WriteLine($"{"offset",-10} {"address",-10} {"size",8}  {"crc32",-10}  assembly");
                foreach (var e in result.Image.Entries)
                {
                    Console.WriteLine($"0x{e.Offset,-8:X} 0x{options.DeployAddress + e.Offset,-8:X} {e.Size,8}  0x{e.Crc:X8}  {e.Name} {e.Version}");
                }

                Console.WriteLine($"image: {result.ImagePath} ({result.Image.Bytes.Length} bytes, CRC 0x{result.Image.Crc:X8}), manifest: {result.ManifestPath}");
                if (problems.Count > 0)
                {
                    Console.Error.WriteLine("error: the image failed its check:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
                    return 1;
                }

                Console.WriteLine($"flash it with: onebit flash --port PORT --image {result.ImagePath} --address 0x{options.DeployAddress:X}");
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or UnauthorizedAccessException
                or BuildException or MissingPeException or ImageException or PeLimitException or System.ComponentModel.Win32Exception or TimeoutException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return cmd;
    }
}
