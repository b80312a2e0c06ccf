using System.Reflection;
using System.Runtime.InteropServices;

namespace OneBit.NativeKernels;

/// <summary>
/// Where the native kernels are loaded from: <c>libonebit_kernels.so</c> beside this assembly (the build copies it
/// there), or the file named by <c>ONEBIT_NATIVE_KERNELS</c> (CI points it at the sanitizer build). One resolver for
/// every P/Invoke of this assembly, so the file that <see cref="Missing"/> checks is the file the calls use.
/// </summary>
public static class NativeLibraryFile
{
    public const string EnvironmentVariable = "ONEBIT_NATIVE_KERNELS";

    private static readonly Lazy<(nint Handle, string? Problem)> Loaded = new(Load);

    /// <summary>The file the set loads.</summary>
    public static string Path
    {
        get
        {
            string? over = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(over)) return System.IO.Path.GetFullPath(over);
            string dir = System.IO.Path.GetDirectoryName(typeof(NativeLibraryFile).Assembly.Location) ?? AppContext.BaseDirectory;
            return System.IO.Path.Combine(dir, "libonebit_kernels.so");
        }
    }

    /// <summary>Null when the library loads; else what is missing and how to get it.</summary>
    public static string? Missing => Loaded.Value.Problem;

    /// <summary>The resolver of this assembly's P/Invokes (registered by NativeMethods' static constructor).</summary>
    internal static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Library) return 0;
        (nint handle, string? problem) = Loaded.Value;
        if (handle == 0) throw new DllNotFoundException(problem);
        return handle;
    }

    private static (nint, string?) Load()
    {
        string path = Path;
        if (!OperatingSystem.IsLinux())
            return (0, "the native kernels are built for Linux only (native/onebit_kernels builds with CMake on other systems, but this project does not load it there yet)");
        if (!File.Exists(path))
        {
            string named = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? "" : $" (named by {EnvironmentVariable})";
            return (0, $"the native kernels are not built: {path}{named} is missing. `dotnet build` builds it when a C compiler and CMake are on PATH (Debian/Ubuntu: sudo apt-get install gcc cmake, then build again)");
        }
        try
        {
            return (NativeLibrary.Load(path), null);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return (0, $"the native kernels at {path} do not load: {e.Message}");
        }
    }
}
