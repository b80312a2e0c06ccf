using OneBit.DeviceBuild;
using OneBit.PeWriter;

namespace OneBit.BenchImage;

/// <summary>
/// Writes the .pe of our stand-in for nanoFramework.ResourceManager (device/OneBit.Bench/ResourceManagerStandIn) into
/// a packages folder, in the Id.Version/lib/NAME.pe layout that --packages-folder searches, for machines whose NuGet
/// source lacks the real package. nanoCLR refuses to load an assembly whose native-methods checksum differs from the
/// one compiled into its native table, so a stand-in whose layout drifted is refused here, on the host, instead.
/// </summary>
public static class ResourceManagerStandIn
{
    /// <summary>The checksum in nanoCLR's table for nanoFramework.ResourceManager (nf-interpreter,
    /// src/nanoFramework.ResourceManager/nf_system_resourcemanager.cpp).</summary>
    public const uint NanoClrChecksum = 0xDCD7DF4D;

    /// <summary>Writes <paramref name="dll"/>'s .pe under <paramref name="packagesFolder"/> and returns its path.</summary>
    /// <exception cref="InvalidDataException">the assembly is not named nanoFramework.ResourceManager, references
    /// more than mscorlib, or its native methods do not give nanoCLR's checksum</exception>
    public static string Write(string dll, string coreLibraryDir, string packagesFolder)
    {
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(coreLibraryDir);
        var pe = PeFile.Parse(OneBit.PeWriter.PeWriter.Write(dll, options), "written from " + dll);
        if (pe.Name != BenchModels.ResourceManager)
        {
            throw new InvalidDataException($"{dll} is assembly {pe.Name}, not {BenchModels.ResourceManager}");
        }

        if (pe.References.Any(r => r.Name != AppImage.CoreLibrary))
        {
            throw new InvalidDataException($"{dll} references {string.Join(", ", pe.References.Select(r => r.Name))}; the bench image carries mscorlib only");
        }

        if (pe.NativeMethodsChecksum != NanoClrChecksum)
        {
            throw new InvalidDataException($"{dll}: native-methods checksum 0x{pe.NativeMethodsChecksum:X8}, nanoCLR's table has 0x{NanoClrChecksum:X8} " +
                "and would refuse the assembly: the methods differ from the table's layout (device/OneBit.Bench/ResourceManagerStandIn/README.md)");
        }

        string lib = Path.Combine(packagesFolder, $"{pe.Name}.{pe.Version.ToString(3)}", "lib");
        Directory.CreateDirectory(lib);
        string path = Path.Combine(lib, pe.Name + ".pe");
        File.WriteAllBytes(path, pe.Bytes);
        return path;
    }
}
