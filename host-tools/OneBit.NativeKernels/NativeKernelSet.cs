using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;

namespace OneBit.NativeKernels;

/// <summary>
/// The <c>native</c> set: every layer kind (stem, quantize in threshold and affine mode, conv at 1/2/4/8 bits, residual
/// over int32 and int16 stream rings, global pool rows) in the C of native/onebit_kernels — the portable code, or on
/// x86-64 hosts its AVX2 and AVX-512 paths, chosen at run time — called through P/Invoke on the managed arrays
/// themselves. Bit-exact with the reference set on every path. Stateless: the C kernels read the
/// blob-layout weights, so the set never takes them over and keeps no tables. When the library is not built or does
/// not load, <see cref="For"/> throws <see cref="NotSupportedException"/> saying what is missing and how to get it.
/// </summary>
public sealed class NativeKernelSet : KernelSet
{
    /// <summary>The library's default path: the best this CPU has, or the one ONEBIT_NATIVE_PATH names.</summary>
    public static readonly NativeKernelSet Instance = new(NativeMethods.PathDefault);

    /// <summary>The code paths by name, in the order of the library's constants (onebit_kernels.h, OB_PATH_*).</summary>
    public static readonly string[] PathNames = { "portable", "avx2", "avx512" };

    private static readonly Dictionary<string, NativeKernelSet> OnPaths = PathNames.ToDictionary(p => p, p => new NativeKernelSet(Array.IndexOf(PathNames, p) + 1));

    private readonly int _path;

    private NativeKernelSet(int path) => _path = path;

    /// <summary>The set that runs every layer on the named path (for tests and comparisons: each path is bit-exact with
    /// the others); NotSupportedException when this build or CPU lacks it.</summary>
    public static NativeKernelSet OnPath(string path)
    {
        RequireLibrary();
        if (!OnPaths.TryGetValue(path, out NativeKernelSet? set)) throw new ArgumentException($"unknown native path '{path}': {string.Join(", ", PathNames)}");
        if (NativeMethods.ob_path_supported(set._path) == 0) throw new NotSupportedException($"the native {path} path does not run on this CPU or build");
        return set;
    }

    /// <summary>The paths this build and CPU run (always "portable").</summary>
    public static IReadOnlyList<string> SupportedPaths
    {
        get
        {
            RequireLibrary();
            return PathNames.Where((_, i) => NativeMethods.ob_path_supported(i + 1) != 0).ToArray();
        }
    }

    /// <summary>The path <see cref="Instance"/> runs.</summary>
    public static unsafe string PathName
    {
        get
        {
            RequireLibrary();
            NativeMethods.ob_select_path(NativeMethods.PathDefault);
            return NativeMethods.Text(NativeMethods.ob_path_name());
        }
    }

    public override string Name => "native";

    public override bool HasInt16Stream => true;

    /// <summary>Null when the library loads, else the reason and the fix.</summary>
    public static string? Missing => NativeLibraryFile.Missing;

    /// <summary>The popcount the loaded library was built with ("swar" or "builtin-dispatch").</summary>
    public static unsafe string PopcountKind
    {
        get
        {
            RequireLibrary();
            return NativeMethods.Text(NativeMethods.ob_popcount_kind());
        }
    }

    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights)
    {
        RequireLibrary();
        return NativeLayerKernels.OnPath(_path);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> with the reason and the fix unless the library loads.</summary>
    public static void RequireLibrary()
    {
        string? missing = Missing;
        if (missing != null) throw new NotSupportedException("--kernel native: " + missing);
    }
}
