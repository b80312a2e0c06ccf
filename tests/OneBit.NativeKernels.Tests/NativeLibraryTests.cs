using OneBit.NativeKernels;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Model;
using OneBit.Runtime.Host;
using OneBit.Runtime.Tests;

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

    private static bool CpuHas(params string[] flags)
    {
        string[] present = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        return flags.All(present.Contains);
    }

    /// <summary>The paths the library offers are those this CPU runs: on x86-64 the vector paths whenever the CPU has
    /// their features, so the per-path test classes test them and not the portable path in their place.</summary>
    [Fact]
    public void TheLibraryOffersEveryPathThisCpuRuns()
    {
        Assert.True(NativeKernelSet.Missing == null, NativeKernelSet.Missing);
        var expected = new List<string> { "portable" };
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            if (CpuHas("avx2", "popcnt", "bmi2")) expected.Add("avx2");
            if (CpuHas("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vpopcntdq", "avx512_bitalg", "avx512_vnni", "popcnt", "bmi2")) expected.Add("avx512");
        }
        Assert.Equal(expected, NativeKernelSet.SupportedPaths);
        Assert.Equal(expected[^1], NativeKernelSet.PathName);
        Assert.True(expected.Count == 3, $"this CPU runs only the native paths {string.Join(", ", expected)}: the tests of the others ran the portable path in their place");
    }

    /// <summary>Each vector path computes the layers it has (AVX-512: stem, quantize, conv, residual; AVX2: conv) and
    /// does not leave them to the portable loops, and the portable path computes everything itself.</summary>
    [Theory]
    [InlineData("portable", 0, 0, 0, 0)]
    [InlineData("avx2", 0, 0, 1, 0)]
    [InlineData("avx512", 1, 1, 1, 1)]
    public void AVectorPathComputesTheLayersItHas(string path, int stem, int quantize, int conv, int residual)
    {
        Assert.Equal(path, Native.Runnable(path));
        LayerKernels kernels = NativeKernelSet.OnPath(path).For(null, rowsOnly: true, takeOverWeights: false);
        var rng = new Random(3);
        ConvLayer c = ConvKernelTests.MakeLayer(rng, 40, 20, 5, 6, 3, 1, 1, 2, 3);
        uint[] planes = Packing.PackLevels(Enumerable.Range(0, 5 * 6 * 40).Select(_ => rng.Next(4)).ToArray(), 5, 6, 40, 2);
        var acc = new int[5 * 6 * 20];
        Assert.Equal(conv, Calls(() => kernels.Conv(c, planes, 5, acc, 5, 0, 5)));
        QuantizeLayer q = TunedKernelTests.RandomAffineLayer(rng, 20, 2, true, 5, 6);
        var quantized = new uint[5 * 6 * 2];
        Assert.Equal(quantize, Calls(() => kernels.Quantize(q, acc, 5, quantized, 5, 0, 5)));
        ResidualLayer r = TunedKernelTests.RandomResidual(rng, ResidualLayer.Identity, 0, 5, 6, 20, 20, true, 3);
        var stream = new int[5 * 6 * 20];
        Assert.Equal(residual, Calls(() => kernels.Residual(r, acc, 5, acc, 5, stream, 5, 0, 5)));
        var s = new StemLayer
        {
            InChannels = 3, OutChannels = 20, KernelSize = 3, PadTop = 1, PadLeft = 1, Height = 5, Width = 6, Shift = 4,
            PixelScale = new[] { 3, -5, 7 }, WeightSumScale = new[] { 11, 13, -17 }, Weights = SyntheticNetworks.RandomWeights(rng, 20, 3, 3),
        };
        Assert.Equal(stem, Calls(() => kernels.Stem(s, SyntheticNetworks.RandomPixels(rng, 5 * 6 * 3), stream, 5, 0, 5)));
    }

    private static long Calls(Action call)
    {
        long before = NativeMethods.ob_vector_calls();
        call();
        return NativeMethods.ob_vector_calls() - before;
    }
}
