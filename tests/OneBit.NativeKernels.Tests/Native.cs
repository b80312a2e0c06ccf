using OneBit.NativeKernels;
using OneBit.Runtime.Kernels;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The kernels the layer sweeps run, on one code path of the library (portable, avx2, avx512; each test class runs
/// once per path through its derived classes): the native set's (pinned managed arrays, what the runners use), or with
/// <c>ONEBIT_NATIVE_TEST_BUFFERS=malloc</c> (.ci/run's sanitizer step) the same entry points on exact-size malloc'd
/// copies (<see cref="MallocCopyKernels"/>). A missing library fails every test that needs it, with the reason. A path
/// this CPU lacks runs the portable path instead, and <see cref="NativeLibraryTests"/> fails saying so.
/// </summary>
public static class Native
{
    public static bool MallocCopies => Environment.GetEnvironmentVariable("ONEBIT_NATIVE_TEST_BUFFERS") == "malloc";

    /// <summary>The path a test class of <paramref name="path"/> runs here.</summary>
    public static string Runnable(string path)
    {
        Assert.True(NativeKernelSet.Missing == null, NativeKernelSet.Missing);
        return NativeKernelSet.SupportedPaths.Contains(path) ? path : "portable";
    }

    public static NativeKernelSet Set(string path) => NativeKernelSet.OnPath(Runnable(path));

    public static LayerKernels Kernels(string path)
    {
        NativeKernelSet set = Set(path);
        return MallocCopies ? new MallocCopyKernels(Array.IndexOf(NativeKernelSet.PathNames, Runnable(path)) + 1)
            : set.For(null, rowsOnly: true, takeOverWeights: false);
    }
}
