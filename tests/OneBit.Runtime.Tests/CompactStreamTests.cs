using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;
using Xunit.Abstractions;

namespace OneBit.Runtime.Tests;

/// <summary>
/// 16-bit stream rings: the proven stream bound (StreamBound) and the streaming runner that stores the stream in
/// shorts when the bound allows it, against the int32 whole-frame runner.
/// </summary>
public class CompactStreamTests
{
    private readonly ITestOutputHelper _out;

    public CompactStreamTests(ITestOutputHelper output)
    {
        _out = output;
    }

    public static IEnumerable<object[]> SweepCases() => StreamingNetworks.Sweep(24).Select((s, i) => new object[] { i });

    /// <summary>Records the largest |S| the whole-frame runner writes after every stem and residual layer.</summary>
    private sealed class StreamPeak : ILayerObserver
    {
        private readonly Network _net;
        public long Peak;

        public StreamPeak(Network net) => _net = net;

        public void AfterLayer(int layerIndex, int[] stream, uint[] planes, int[] accumulator, int[] logits)
        {
            int kind = _net.Layers[layerIndex].Kind;
            if (kind != LayerKind.Stem && kind != LayerKind.Residual) return;
            foreach (int v in stream) Peak = Math.Max(Peak, Math.Abs((long)v));
        }
    }

    private static IEnumerable<byte[]> Frames(Network net, int seed)
    {
        var rng = new Random(seed);
        yield return new byte[net.InputBytes];
        yield return Enumerable.Repeat((byte)255, net.InputBytes).ToArray();
        for (int i = 0; i < 3; i++) yield return SyntheticNetworks.RandomPixels(rng, net.InputBytes);
    }

    [Theory]
    [MemberData(nameof(SweepCases))]
    public void NoFrameExceedsTheProvenBound(int index)
    {
        StreamingNetworks.Spec spec = StreamingNetworks.Sweep(24).ElementAt(index);
        Network net = StreamingNetworks.Build(spec);
        long bound = StreamBound.Of(net);
        var runner = new NetworkRunner(net);
        var peak = new StreamPeak(net);
        runner.Observer = peak;
        foreach (byte[] frame in Frames(net, spec.Seed)) runner.Run(frame);
        _out.WriteLine($"{spec}: peak {peak.Peak}, bound {bound}");
        Assert.InRange(peak.Peak, 1, bound);
    }

    /// <summary>Weights +1 on channel 0 and −1 on channel 1 and a frame of 255s: both channels push the interior stem
    /// output the same way, to the bound exactly.</summary>
    [Fact]
    public void TheStemBoundIsAttained()
    {
        var stem = new StemLayer
        {
            InChannels = 2, OutChannels = 1, KernelSize = 3, PadTop = 1, PadLeft = 1, Height = 3, Width = 3, Shift = 2,
            PixelScale = new[] { 2, -3 }, WeightSumScale = new[] { -100, 50 }, Weights = Enumerable.Repeat(1u, 9).ToArray(),
        };
        var net = new Network { Layers = new Layer[] { stem } };
        // Channel 0: max(|−100|, |510 − 100|) = 410; channel 1: max(|50|, |−765 + 50|) = 715; 9·(410 + 715) = 10125.
        Assert.Equal((10125 + 2) >> 2, StreamBound.Of(net));
        var stream = new int[9];
        StemConvReference.Run(stem, Enumerable.Repeat((byte)255, 18).ToArray(), stream);
        Assert.Equal(StreamBound.Of(net), stream[4]);
        Assert.All(stream, v => Assert.InRange(v, 1, stream[4]));
    }

    [Theory]
    [MemberData(nameof(SweepCases))]
    public void SixteenBitRingsGiveTheSameLogitsAsTheWholeFrameRunner(int index)
    {
        StreamingNetworks.Spec spec = StreamingNetworks.Sweep(24).ElementAt(index);
        Network net = StreamingNetworks.WithInt16Stream(StreamingNetworks.Build(spec));
        _out.WriteLine($"{spec}: bound {StreamBound.Of(net)}");
        Assert.True(StreamBound.FitsInt16(net));
        var whole = new NetworkRunner(net);
        var peak = new StreamPeak(net);
        whole.Observer = peak;
        StreamingPlan plan = StreamingPlan.For(net, true);
        StreamingRunner[] compact = KernelSets.WithInt16Stream().Select(k => new StreamingRunner(plan, k.For(net, true, false)))
            .Append(new StreamingRunner(plan, new TunedLayerKernels(net, true, BinaryConvReference.Instance))).ToArray();
        foreach (byte[] frame in Frames(net, spec.Seed))
        {
            int expected = whole.Run(frame);
            foreach (StreamingRunner r in compact)
            {
                Assert.Equal(expected, r.Run(frame));
                Assert.Equal(whole.Logits, r.Logits);
            }
        }
        Assert.InRange(peak.Peak, 1, StreamBound.Int16Max);
    }

    /// <summary>A device-sized network whose stream, shrunk to a proof, still spans far more than a byte: a wrong
    /// narrowing or widening of the rings would show in the logits.</summary>
    [Fact]
    public void SixteenBitRingsCarryWideValuesExactly()
    {
        Network net = StreamingNetworks.WithInt16Stream(StreamingNetworks.Build(Deep));
        var whole = new NetworkRunner(net);
        var peak = new StreamPeak(net);
        whole.Observer = peak;
        var compact = new StreamingRunner(StreamingPlan.For(net, true), TunedKernelSet.Instance.For(net, true, false));
        foreach (byte[] frame in Frames(net, 5))
        {
            Assert.Equal(whole.Run(frame), compact.Run(frame));
            Assert.Equal(whole.Logits, compact.Logits);
        }
        _out.WriteLine($"peak {peak.Peak}, bound {StreamBound.Of(net)}");
        Assert.InRange(peak.Peak, 256, StreamBound.Int16Max);
    }

    /// <summary>32×32×3, 16/32/64 channels, three 2-bit blocks per stage (depth 20), per-channel thresholds.</summary>
    private static readonly StreamingNetworks.Spec Deep = new(20, 32, 32, 3, new[] { 16, 32, 64 }, 3, 2, 0, 10, true, 1, 1);

    [Fact]
    public void SixteenBitRingsHalveTheStreamRingsAndAllocateWhatTheyCompute()
    {
        Network net = StreamingNetworks.WithInt16Stream(StreamingNetworks.Build(StreamingNetworks.Depth8Width16()));
        StreamingPlan widePlan = StreamingPlan.For(net, false);
        long streamRingBytes = 0;
        for (int i = 0; i < net.Layers.Length; i++)
        {
            int kind = net.Layers[i].Kind;
            if (widePlan.RingRowsOf(i) > 0 && (kind == LayerKind.Stem || kind == LayerKind.Residual)) streamRingBytes += widePlan.RingRowsOf(i) * widePlan.RowBytes(i);
        }
        long wide = widePlan.WorkingMemoryBytes, compact = StreamingPlan.For(net, true).WorkingMemoryBytes;
        // Half of every stream ring, one more table of references; the scratch row (a 32×16 stream row) is already
        // as long as the shared accumulator row of the first stage.
        Assert.Equal(wide - streamRingBytes / 2 + StreamingPlan.ReferenceSlotBytes * net.Layers.Length, compact);

        LayerKernels kernels = TunedKernelSet.Instance.For(net, true, false);
        new StreamingRunner(StreamingPlan.For(net, true), kernels).Run(new byte[net.InputBytes]);   // JIT out of the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        var runner = new StreamingRunner(StreamingPlan.For(net, true), kernels);
        long measured = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(compact, runner.WorkingMemory);
        // Beyond the payloads: object headers and alignment (at most 48 bytes per object here, the runner and the plan
        // included) and the planner's temporary int[layers].
        Assert.InRange(measured - compact, 0, 48 * (runner.Plan.AllocatedArrays + 3) + 4 * net.Layers.Length + 256);
        byte[] pixels = SyntheticNetworks.RandomPixels(new Random(3), net.InputBytes);
        runner.Run(pixels);
        Assert.Equal(0, AllocationProbe.LeastBytesPerAttempt(() => { for (int i = 0; i < 3; i++) runner.Run(pixels); }));
    }

    [Fact]
    public void SixteenBitRingsNeedAProofAndKernelsThatHaveThem()
    {
        Network net = StreamingNetworks.Build(Deep);
        Assert.False(StreamBound.FitsInt16(net));
        var e = Assert.Throws<ArgumentException>(() => StreamingPlan.For(net, true));
        Assert.Contains("not proven to fit 16 bits (bound " + StreamBound.Of(net), e.Message);
        StreamingNetworks.WithInt16Stream(net);
        e = Assert.Throws<ArgumentException>(() => new StreamingRunner(StreamingPlan.For(net, true), ReferenceKernelSet.Instance.For(net, true, false)));
        Assert.Contains("16-bit residual, which the reference kernels lack", e.Message);
        // The device memory plan does not choose them for such a set.
        Assert.Equal(RunnerChoice.StreamingInt32, DeviceMemoryPlan.For(net, long.MaxValue, ReferenceKernelSet.Instance, false).Choice);
        Assert.Equal(RunnerChoice.StreamingInt16, DeviceMemoryPlan.For(net, long.MaxValue, TunedKernelSet.Instance, false).Choice);
    }
}
