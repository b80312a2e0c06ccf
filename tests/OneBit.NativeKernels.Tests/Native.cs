using OneBit.NativeKernels;
using OneBit.Runtime.Kernels;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The kernels the layer sweeps run: the native set's (pinned managed arrays, what the runners use), or with
/// <c>ONEBIT_NATIVE_TEST_BUFFERS=malloc</c> (.ci/run's sanitizer step) the same entry points on exact-size malloc'd
/// copies (<see cref="MallocCopyKernels"/>). A missing library fails every test that needs it, with the reason.
/// </summary>
public static class Native
{
    public static bool MallocCopies => Environment.GetEnvironmentVariable("ONEBIT_NATIVE_TEST_BUFFERS") == "malloc";

    public static LayerKernels Kernels
    {
        get
        {
            Assert.True(NativeKernelSet.Missing == null, NativeKernelSet.Missing);
            return MallocCopies ? new MallocCopyKernels() : NativeKernelSet.Instance.For(null, rowsOnly: true, takeOverWeights: false);
        }
    }
}
