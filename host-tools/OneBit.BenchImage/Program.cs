using OneBit.BenchImage;
using OneBit.DeviceBuild;
using OneBit.PeWriter;

// Usage: dotnet run --project host-tools/OneBit.BenchImage -- <bench bin folder> <output folder>
//            [--model NAME=blob.obnb ...] [--packages-folder DIR ...] [--interop OneBit.Native.dll]
//    or: dotnet run --project host-tools/OneBit.BenchImage -- resource-manager-standin <stand-in dll> <packages folder>
//    or: dotnet run --project host-tools/OneBit.BenchImage -- interop-stubs <OneBit.Native.dll> <output folder>
// The bench bin folder is device/OneBit.Bench/bin/<Configuration>/netstandard2.0 (OneBit.Bench.dll + OneBit.Runtime.dll).
// The second form writes the .pe of device/OneBit.Bench/ResourceManagerStandIn into a folder for --packages-folder; the
// third the C++ stub header and native table of an interop assembly (native/onebit_interop/generated).
const string Usage = "usage: OneBit.BenchImage <bench bin folder> <output folder> [--model NAME=blob.obnb ...] [--packages-folder DIR ...] [--interop OneBit.Native.dll]\n" +
                     "       OneBit.BenchImage resource-manager-standin <nanoFramework.ResourceManager.dll> <packages folder>\n" +
                     "       OneBit.BenchImage interop-stubs <interop assembly dll> <output folder>";
if (args.Length > 0 && (args[0] == "resource-manager-standin" || args[0] == "interop-stubs"))
{
    if (args.Length != 3)
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    string? coreLibrary = CoreLibraryDir(PinnedLocator());
    if (coreLibrary == null)
    {
        return 1;
    }

    try
    {
        if (args[0] == "interop-stubs")
        {
            foreach (string written in InteropStubs.Write(args[1], coreLibrary, args[2]))
            {
                Console.WriteLine(written);
            }

            return 0;
        }

        string path = ResourceManagerStandIn.Write(args[1], coreLibrary, args[2]);
        Console.WriteLine($"{Path.GetFileName(path)}: {new FileInfo(path).Length} bytes, native-methods checksum 0x{ResourceManagerStandIn.NanoClrChecksum:X8}, in {Path.GetDirectoryName(path)}");
        return 0;
    }
    catch (Exception e) when (e is InvalidDataException or IOException or BadImageFormatException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

var positional = new List<string>();
var models = new List<BenchModel>();
var packagesFolders = new List<string>();
string? interop = null;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        if ((args[i] == "--model" || args[i] == "--packages-folder" || args[i] == "--interop") && i + 1 < args.Length)
        {
            if (args[i] == "--interop")
            {
                interop = args[++i];
            }
            else if (args[i] == "--model")
            {
                var model = BenchModels.Load(args[++i]);
                if (models.Any(m => m.Name == model.Name))
                {
                    throw new ArgumentException($"model name '{model.Name}' given twice");
                }

                models.Add(model);
            }
            else
            {
                packagesFolders.Add(args[++i]);
            }
        }
        else if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"unknown or incomplete option {args[i]}");
        }
        else
        {
            positional.Add(args[i]);
        }
    }
}
catch (Exception e) when (e is ArgumentException or IOException or OneBit.Runtime.Blob.BlobFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

if (positional.Count != 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string bin = positional[0], output = positional[1];
Directory.CreateDirectory(output);
var locator = PinnedLocator();
foreach (var folder in packagesFolders)
{
    locator.AddPackagesFolder(folder);
}

string? corlib = CoreLibraryDir(locator);
if (corlib == null)
{
    return 1;
}

File.Copy(Path.Combine(corlib, "mscorlib.pe"), Path.Combine(output, "mscorlib.pe"), true);
var options = new PeWriterOptions();
options.ReferenceDirectories.Add(corlib);
options.ReferenceDirectories.Add(Path.GetFullPath(bin));
var peFiles = new List<string> { "mscorlib.pe" };

if (models.Count > 0)
{
    // the bench reads the resources through nanoFramework.ResourceManager, as device/OneBit.App does: its shipped .pe
    // comes from the NuGet package, found like `onebit build-device` finds it
    var lookup = locator.Find(BenchModels.ResourceManager);
    if (!lookup.Found)
    {
        Console.Error.WriteLine($"--model needs {BenchModels.ResourceManager}.pe on nanoCLR to read the embedded blobs:");
        Console.Error.WriteLine(lookup.MissingMessage(null));
        Console.Error.WriteLine("without the package: our stand-in, written with `resource-manager-standin` (device/OneBit.Bench/ResourceManagerStandIn/README.md)");
        return 1;
    }

    var rm = PeFile.Load(lookup.Path!);
    foreach (var r in rm.References.Where(r => r.Name != AppImage.CoreLibrary))
    {
        Console.Error.WriteLine($"{rm.Name}.pe references {r.Name}, which OneBit.BenchImage does not copy");
        return 1;
    }

    File.Copy(lookup.Path!, Path.Combine(output, BenchModels.ResourceManager + ".pe"), true);
    peFiles.Add(BenchModels.ResourceManager + ".pe");
    Console.WriteLine($"{BenchModels.ResourceManager}.pe: {rm.Bytes.Length} bytes, from {lookup.Path}");
}

foreach (string name in new[] { "OneBit.Runtime", "OneBit.Bench" })
{
    string dll = Path.Combine(bin, name + ".dll");
    if (name == "OneBit.Bench" && models.Count > 0)
    {
        // the bin folder stays as the build left it: the copy with the resources goes to <output>/obj
        string embedded = Path.Combine(output, "obj", name + ".dll");
        BenchModels.Embed(dll, embedded, models);
        dll = embedded;
        foreach (var m in models)
        {
            Console.WriteLine($"model {m.Name}: {m.Blob.Length} bytes as resource '{m.Name}' of {BenchModels.ResourceFile}");
        }
    }

    string pe = Path.Combine(output, name + ".pe");
    PeWriter.WriteFile(dll, pe, options);
    peFiles.Add(name + ".pe");
    Console.WriteLine($"{name}.pe: {new FileInfo(pe).Length} bytes");
}

if (interop != null)
{
    // last on nanoCLR's command line: no other assembly references it (the bench finds it by name), and a firmware that
    // rejects it for its native checksum stops there
    PeFile written;
    try
    {
        written = InteropAssembly.Write(interop, options);
    }
    catch (ImageException e)
    {
        Console.Error.WriteLine("--interop " + e.Message);
        return 1;
    }

    string pe = Path.Combine(output, written.Name + ".pe");

    File.WriteAllBytes(pe, written.Bytes);
    peFiles.Add(Path.GetFileName(pe));
    Console.WriteLine($"{Path.GetFileName(pe)}: {written.Bytes.Length} bytes, native-methods checksum 0x{written.NativeMethodsChecksum:X8}");
}

Console.WriteLine($"run: nanoFramework.nanoCLR.test {string.Join(" ", peFiles)} (in {output})");
return 0;

static NuGetPeLocator PinnedLocator()
{
    var locator = new NuGetPeLocator();
    locator.Pin("nanoFramework.CoreLibrary", "1.17.11");       // the version OneBit.Bench.csproj compiles against
    return locator;
}

// lib/ of the pinned CoreLibrary package: mscorlib.pe for the image, mscorlib.dll for the .pe writer's references
static string? CoreLibraryDir(NuGetPeLocator locator)
{
    var lookup = locator.Find(AppImage.CoreLibrary);
    if (!lookup.Found)
    {
        Console.Error.WriteLine("mscorlib.pe not found: build device/OneBit.Bench first (it restores nanoFramework.CoreLibrary 1.17.11)");
        Console.Error.WriteLine(lookup.MissingMessage(null));
        return null;
    }

    return Path.GetDirectoryName(lookup.Path!)!;
}
