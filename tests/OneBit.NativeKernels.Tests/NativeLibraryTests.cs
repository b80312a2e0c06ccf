using OneBit.NativeKernels;

namespace OneBit.NativeKernels.Tests;

/// <summary>Which library and popcount the tests run: the build's (the compiler's builtin, dispatched to POPCNT), or in
/// the sanitizer run the sanitized build (the portable SWAR popcount) with AddressSanitizer in the process. So both
/// popcounts go through the same sweeps in CI.</summary>
public class NativeLibraryTests
{
    [Fact]
    public void TheLibraryIsTheBuildsOrTheSanitizedOne()
    {
        Assert.True(NativeKernelSet.Missing == null, NativeKernelSet.Missing);
        bool asanLoaded = File.ReadAllText("/proc/self/maps").Contains("libasan");
        if (Native.MallocCopies)
        {
            Assert.True(asanLoaded, "the sanitizer run has no libasan in the test host");
            Assert.Equal("swar", NativeKernelSet.PopcountKind);
            Assert.Equal(Path.GetFullPath(Environment.GetEnvironmentVariable(NativeLibraryFile.EnvironmentVariable)!), NativeLibraryFile.Path);
        }
        else
        {
            Assert.False(asanLoaded);
            Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
                ? "builtin-dispatch" : "swar", NativeKernelSet.PopcountKind);
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libonebit_kernels.so"), NativeLibraryFile.Path);
        }
    }
}
