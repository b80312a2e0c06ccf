using System.Reflection;
using OneBit.HostKernels;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Tuned;
using Xunit.Sdk;

namespace OneBit.Runtime.Tests;

/// <summary>
/// Every specialised path of the tuned and host kernels runs in the sweeps: each test counts path hits
/// (<see cref="KernelPaths"/>, from zero) while it runs the sweeps of a kernel with all their data, then requires a
/// hit for every path the kernel declares (its nested Paths class; the lists below name them, so a path added to a
/// kernel fails here until it is listed and a sweep case reaches it). A host path whose CPU features are missing
/// fails with their names: CI machines have AVX-512 (with VPOPCNTDQ), AVX-VNNI and GFNI.
/// </summary>
public class KernelPathCoverageTests
{
    [Fact]
    public void TheConvSweepsRunEveryTunedConvPath()
    {
        using KernelPathCounts hits = KernelPaths.StartCounting();
        RunConvSweeps();
        AssertEveryPathRan(typeof(TunedBinaryConv.Paths), hits, null,
            "GatherInterior16", "GatherInterior32", "GatherInterior64", "GatherWindowOneWord", "GatherWindowWords",
            "PatchCountShort", "PatchCountLong",
            "Dot3Lanes", "Dot3OneBit", "Dot3TwoBits", "Dot3Planes", "Dot5OneBit", "Dot5TwoBits", "Dot9OneBit", "Dot9TwoBits",
            "DotShort", "DotLong", "WideCorrection");
    }

    [Fact]
    public void TheConvSweepsRunEveryHostConvPath()
    {
        using KernelPathCounts hits = KernelPaths.StartCounting();
        RunConvSweeps();
        AssertEveryPathRan(typeof(PopcountConvKernel.Paths), hits, PopcountConvKernel.Unsupported,
            "ByteDot", "RowsVectorGather", "RowsScalarGather", "PixelsDense", "PixelsWide", "PixelsVectorDot", "PixelsScalarDot");
    }

    [Fact]
    public void TheStemSweepRunsEveryTunedStemPath()
    {
        using KernelPathCounts hits = KernelPaths.StartCounting();
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.StemMatchesTheReference));
        AssertEveryPathRan(typeof(TunedStem.Paths), hits, null, "PixelSums3", "PixelSumsAnyK", "RingRgb", "RingAnyChannels");
    }

    [Fact]
    public void TheQuantizeSweepsRunEveryTunedAndHostQuantizePath()
    {
        using KernelPathCounts hits = KernelPaths.StartCounting();
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.QuantizeMatchesTheReference));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.QuantizeRowRangesOverRingsMatchTheReference));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.PerChannelQuantizeIsExactAtTheEndsOfInt32));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.HostQuantizerMatchesTheReferenceOnAffineLayers));
        AssertEveryPathRan(typeof(TunedQuantize.Paths), hits, null,
            "AffineReference", "Shared1Word32", "Shared1Word16", "Shared1WordAny", "Shared2",
            "Positive1", "Negative1", "Positive2", "Negative2", "BinarySearch");
        AssertEveryPathRan(typeof(VectorQuantizeKernel.Paths), hits, VectorQuantizeKernel.Unsupported,
            "Thresholds1", "Thresholds2", "Affine", "Tuned");
    }

    [Fact]
    public void TheResidualSweepsRunEveryTunedResidualPath()
    {
        using KernelPathCounts hits = KernelPaths.StartCounting();
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.ResidualMatchesShortcutThenAdd));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.ResidualRowRangesOverRingsMatchTheReference));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.ResidualOverShortRingsMatchesTheReference));
        AssertEveryPathRan(typeof(TunedResidual.Paths), hits, null,
            "Int32IdentityShared", "Int32IdentityPerChannel", "Int32PoolInterior", "Int32PoolBorder",
            "Int16IdentityShared", "Int16IdentityPerChannel", "Int16PoolInterior", "Int16PoolBorder");
    }

    /// <summary>The conv sweeps: every kernel of ConvKernelTests.Kernels() (the tuned conv and the host conv with and
    /// without its vector paths) against the float oracle and the reference.</summary>
    private static void RunConvSweeps()
    {
        RunTheory<ConvKernelTests>(nameof(ConvKernelTests.BinaryConvMatchesFloatConvOnLevelValues));
        RunTheory<ConvKernelTests>(nameof(ConvKernelTests.RowsComputedFromRingBuffersEqualTheWholeFrame));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.TwoBitStraightLinePathsMatchTheReference));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.NarrowAndMidWidthConvMatchesTheReference));
        RunTheory<TunedKernelTests>(nameof(TunedKernelTests.WideConvMatchesTheReference));
    }

    /// <summary>Runs test method <paramref name="name"/> of <typeparamref name="T"/> with every row of its data attributes.</summary>
    private static void RunTheory<T>(string name) where T : new()
    {
        MethodInfo method = typeof(T).GetMethod(name) ?? throw new MissingMethodException(typeof(T).Name, name);
        int rows = 0;
        foreach (DataAttribute data in method.GetCustomAttributes<DataAttribute>())
        {
            foreach (object[] row in data.GetData(method))
            {
                try
                {
                    method.Invoke(new T(), row);
                }
                catch (TargetInvocationException e)
                {
                    throw new Exception($"{typeof(T).Name}.{name}({string.Join(", ", row)}) failed", e.InnerException);
                }
                rows++;
            }
        }
        Assert.True(rows > 0, $"{typeof(T).Name}.{name} has no data rows");
    }

    /// <summary>
    /// <paramref name="listed"/> (names without the kernel prefix) are exactly the constants of
    /// <paramref name="paths"/>, each was hit, and no undeclared name of that kernel was hit.
    /// </summary>
    private static void AssertEveryPathRan(Type paths, KernelPathCounts hits, Func<string, string> unsupported, params string[] listed)
    {
        string kernel = paths.DeclaringType!.Name;
        string[] declared = paths.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.Equal(listed.Select(p => kernel + "." + p).OrderBy(p => p, StringComparer.Ordinal), declared.OrderBy(p => p, StringComparer.Ordinal));
        string[] undeclared = hits.Names.Where(n => n.StartsWith(kernel + ".", StringComparison.Ordinal) && !declared.Contains(n)).ToArray();
        Assert.True(undeclared.Length == 0, $"{kernel}: hits of paths it does not declare in {kernel}.Paths: {string.Join(", ", undeclared)}");
        var problems = new List<string>();
        foreach (string path in declared.Where(p => hits[p] == 0))
        {
            string missing = unsupported?.Invoke(path) ?? "";
            problems.Add(missing.Length > 0 ? $"{path} could not run: this CPU lacks {missing}" : $"{path} never ran: no sweep case reaches it");
        }
        Assert.True(problems.Count == 0, $"{kernel}: {string.Join("; ", problems)}");
    }
}
