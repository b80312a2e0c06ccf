using OneBit.PeWriter;

namespace OneBit.DeviceBuild;

/// <summary>
/// The interop assembly of the firmware's native kernels (device/OneBit.Native), as app images and the nanoCLR bench
/// deploy it: its .pe from our writer (the native-methods checksum in the header is the one the generated native table
/// carries, native/onebit_interop/generated), always the last assembly. No app references it (the runtime finds it by
/// name, shared/Kernels/Firmware/DeviceKernelChoice), and a firmware that refuses it for its checksum stops loading
/// there (device/OneBit.Native/README.md), so nothing else may come after it.
/// </summary>
public static class InteropAssembly
{
    /// <summary>The name the runtime loads (DeviceKernelChoice.NativeAssembly).</summary>
    public const string Name = "OneBit.Native";

    /// <summary>The project in a repository checkout.</summary>
    public static string Project(string repositoryRoot) => Path.Combine(repositoryRoot, "device", "OneBit.Native", "OneBit.Native.csproj");

    /// <summary>Writes the .pe of <paramref name="dll"/>; refuses an assembly of another name, which the runtime would never load.</summary>
    /// <exception cref="ImageException">the assembly is not <see cref="Name"/></exception>
    public static PeFile Write(string dll, PeWriterOptions options)
    {
        var pe = PeFile.Parse(OneBit.PeWriter.PeWriter.Write(dll, options), "written from " + Path.GetFileName(dll));
        if (pe.Name != Name)
        {
            throw new ImageException($"{dll}: assembly {pe.Name}, the runtime looks for the native kernels in {Name}");
        }

        return pe;
    }
}
