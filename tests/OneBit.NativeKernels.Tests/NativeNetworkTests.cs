using OneBit.Runtime.Kernels;
using OneBit.NativeKernels;
using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;
using OneBit.Runtime.Tests;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// Whole networks on the native set, through both runners: every committed model's embedded test vectors (logits CRC
/// and class, SelfTest) whole-frame, streaming with int32 stream rings and, where StreamBound allows, with int16 rings;
/// and the runtime tests' random networks against the whole-frame reference runner.
/// </summary>
public abstract class NativeNetworkTests
{
    /// <summary>The library's code path these tests run (the derived classes at the end of the file).</summary>
    protected abstract string CodePath { get; }

    public static IEnumerable<object[]> CommittedModels() =>
        Directory.GetDirectories(RepositoryPaths.Combine("models"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".obnb")).Where(File.Exists)
            .Select(p => new object[] { Path.GetFileNameWithoutExtension(p) });

    [Fact]
    public void EveryCommittedModelIsListed()
    {
        Assert.True(CommittedModels().Count() >= 4, "models/*/*.obnb: " + string.Join(", ", CommittedModels().Select(m => m[0])));
    }

    [Theory]
    [MemberData(nameof(CommittedModels))]
    public void CommittedModelsPassTheirTestVectorsOnBothRunners(string model)
    {
        Network net = BlobReader.Read(File.ReadAllBytes(RepositoryPaths.ModelBlob(model)), long.MaxValue);
        Assert.NotEmpty(net.TestVectors);
        Assert.Null(SelfTest.Run(new NetworkRunner(net, Native.Set(CodePath))));
        Assert.Null(SelfTest.Run(new StreamingRunner(net, Native.Set(CodePath))));
        if (StreamBound.FitsInt16(net))
            Assert.Null(SelfTest.Run(new StreamingRunner(StreamingPlan.For(net, true), Native.Set(CodePath).For(net, true, false))));
    }

    private void AssertSameAsReference(Network net, int frames, int seed)
    {
        var reference = new NetworkRunner(net);
        var runners = new List<IFrameClassifier> { new NetworkRunner(net, Native.Set(CodePath)), new StreamingRunner(net, Native.Set(CodePath)) };
        if (StreamBound.FitsInt16(net)) runners.Add(new StreamingRunner(StreamingPlan.For(net, true), Native.Set(CodePath).For(net, true, false)));
        RunnerAgreement.AssertAgree(new Random(seed), frames, reference, runners.ToArray());
    }

    public static IEnumerable<object[]> SweepCases() => StreamingNetworks.Sweep(48).Select((s, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(SweepCases))]
    public void RandomNetworksMatchTheReferenceRunner(int index)
    {
        StreamingNetworks.Spec spec = StreamingNetworks.Sweep(48).ElementAt(index);
        Network net = StreamingNetworks.Build(spec);
        AssertSameAsReference(net, 2, spec.Seed);
        AssertSameAsReference(StreamingNetworks.WithInt16Stream(net), 2, spec.Seed + 1);
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void SyntheticNetworksMatchTheReferenceRunner(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad)));
        AssertSameAsReference(net, 3, seed);
    }
}

public sealed class NativeNetworkTestsOnPortable : NativeNetworkTests
{
    protected override string CodePath => "portable";
}

public sealed class NativeNetworkTestsOnAvx2 : NativeNetworkTests
{
    protected override string CodePath => "avx2";
}

public sealed class NativeNetworkTestsOnAvx512 : NativeNetworkTests
{
    protected override string CodePath => "avx512";
}
