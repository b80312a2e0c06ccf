using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;

namespace OneBit.NativeKernels;

/// <summary>
/// The <c>native</c> set: every layer kind (stem, quantize in threshold and affine mode, conv at 1/2/4/8 bits, residual
/// over int32 and int16 stream rings, global pool rows) in the portable C of native/onebit_kernels, called through
/// P/Invoke on the managed arrays themselves. Bit-exact with the reference set. Stateless: the C kernels read the
/// blob-layout weights, so the set never takes them over and keeps no tables. When the library is not built or does
/// not load, <see cref="For"/> throws <see cref="NotSupportedException"/> saying what is missing and how to get it.
/// </summary>
public sealed class NativeKernelSet : KernelSet
{
    public static readonly NativeKernelSet Instance = new();

    private NativeKernelSet() { }

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
        return NativeLayerKernels.Instance;
    }

    /// <summary>Throws <see cref="NotSupportedException"/> with the reason and the fix unless the library loads.</summary>
    public static void RequireLibrary()
    {
        string? missing = Missing;
        if (missing != null) throw new NotSupportedException("--kernel native: " + missing);
    }
}
