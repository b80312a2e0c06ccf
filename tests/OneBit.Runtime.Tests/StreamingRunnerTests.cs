using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;
using Xunit.Abstractions;

namespace OneBit.Runtime.Tests;

public class StreamingRunnerTests
{
    /// <summary>
    /// Allowance for what GC.GetAllocatedBytesForCurrentThread counts beyond the working memory on a 64-bit CoreCLR
    /// host: per array a 24-byte header (method table, sync block, length) plus at most 7 bytes of alignment padding,
    /// the runner object itself (16-byte header + 15 fields ≤ 136 bytes) and the plan object (16 + 9 fields ≤ 88).
    /// </summary>
    private const int PerArrayHeaderBytes = 32, RunnerObjectBytes = 136, PlanObjectBytes = 88;

    private readonly ITestOutputHelper _out;

    public StreamingRunnerTests(ITestOutputHelper output)
    {
        _out = output;
    }

    public static IEnumerable<object[]> SweepCases() => StreamingNetworks.Sweep(48).Select((s, i) => new object[] { i });

    private static void AssertBitExact(Network net, int frames, int seed)
    {
        var whole = new NetworkRunner(net);
        var rng = new Random(seed);
        // Every kernel set, streaming and whole-frame, against the whole-frame reference; and the tuned stem, quantize
        // and residual rows around the reference conv, so that a conv fault cannot hide a layer fault.
        var runners = KernelSets.All().Select(k => (IFrameClassifier)new StreamingRunner(net, k))
            .Concat(KernelSets.All().Skip(1).Select(k => new NetworkRunner(net, k)))
            .Append(new StreamingRunner(StreamingPlan.For(net, false), new TunedLayerKernels(net, true, BinaryConvReference.Instance))).ToArray();
        for (int f = 0; f < frames; f++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, net.InputBytes);
            int expected = whole.Run(pixels);
            foreach (IFrameClassifier s in runners)
            {
                Assert.Equal(expected, s.Run(pixels));
                Assert.Equal(whole.Logits, s.Logits);
                Assert.Equal(whole.LogitsChecksum(), s.LogitsChecksum());
            }
        }
    }

    [Theory]
    [MemberData(nameof(SweepCases))]
    public void SameLogitsAsTheWholeFrameRunnerOnRandomNetworks(int index)
    {
        StreamingNetworks.Spec spec = StreamingNetworks.Sweep(48).ElementAt(index);
        _out.WriteLine(spec.ToString());
        AssertBitExact(StreamingNetworks.Build(spec), 3, spec.Seed);
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void SameLogitsOnTheSyntheticNetworksOfTheOtherTests(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        for (int p = 0; p <= 1; p++)
        {
            Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, p == 0 ? pad : 1 - pad)));
            AssertBitExact(net, 4, seed);
        }
    }

    [Fact]
    public void SelfTestVectorsPassUnderTheStreamingRunner()
    {
        var rng = new Random(41);
        Network spec = SyntheticNetworks.Make(41, 6, 6, 3, 8, 2, 2, 3);
        Network net = BlobReader.Read(TestVectorMaker.WriteWithTestVectors(spec, new[] { SyntheticNetworks.RandomPixels(rng, 108), SyntheticNetworks.RandomPixels(rng, 108) }));
        var runner = new StreamingRunner(net);
        foreach (TestVector v in net.TestVectors)
        {
            Assert.Equal(v.ExpectedClass, runner.Run(v.Pixels));
            Assert.Equal(v.LogitsCrc, runner.LogitsChecksum());
        }
        Assert.Null(SelfTest.Run(runner));
        net.TestVectors[1].LogitsCrc ^= 1;
        Assert.StartsWith("test vector 1: expected class", SelfTest.Run(runner));
    }

    [Fact]
    public void WrongFrameSizeIsRefused()
    {
        var runner = new StreamingRunner(BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(51, 4, 4, 1, 8, 1, 1, 1))));
        var e = Assert.Throws<ArgumentException>(() => runner.Run(new byte[15]));
        Assert.Contains("16 bytes", e.Message);
    }

    [Fact]
    public void RingsHoldOnlyTheRowsTheWindowsNeed()
    {
        // stem, [q, conv s1, q, conv, residual identity], [q, conv s2 p1, q, conv, residual avgpool p1], q, conv 1x1, pool
        Network net = StreamingNetworks.Build(new StreamingNetworks.Spec(7, 16, 16, 3, new[] { 8, 16 }, 1, 2, 3, 5, false, 1, 1));
        StreamingPlan plan = StreamingPlan.For(net, false);
        int[] rows = RingRows(plan);
        _out.WriteLine(string.Join(" ", net.Layers.Select((l, i) => $"{LayerKind.Name(l.Kind)}:{rows[i]}")));
        const int S = StreamingPlan.Shared, A = StreamingPlan.Aliased;
        Assert.Equal(new[]
        {
            7,          // stem and the identity block's output written over it: the block input lives from the first quantize
                        // to the add (rows y … y+2), the block output is block 2's input, whose stride-2 conv and 3x3
                        // stride-2 pool window reach rows 2y'−1 … 2y'+3: rows y−4 … y+2 of one ring (own rings: 3 + 5)
            3, S, 3, S, // planes feeding a 3x3 conv: 3 rows; accumulators: consumed by the next step, in the shared scratch row
            A,          // identity residual, in place over the stem's ring
            3, S, 3, S, // planes for the stride-2 conv: rows 2y−1 … 2y+1
            1,          // last stream: read 1:1 by the head quantize
            1, S, 0,    // head planes, head accumulator, pool (sums only)
        }, rows);
        // 5 bookkeeping arrays, the list of runs, 2 ring tables, pool sums, logits, one array per own ring, one shared scratch row.
        Assert.Equal(rows.Count(r => r > 0) + 11, plan.AllocatedArrays);
        // Every layer computes each of its rows once (16 rows up to the stride-2 conv, 8 from it on), in runs of two
        // bytes each (first and last layer).
        Assert.Equal(16 * 7 + 8 * 7, plan.StepCount);
        Assert.Equal(2 * plan.RunCount, plan.RunListBytes);
        Assert.Equal(4L * 5 * rows.Length + 16L * rows.Length + plan.RunListBytes + 12 * 5 + 4L * 16 * 8 /* scratch: the longest accumulator row, 16 wide x 8 or 8 wide x 16 */
            + rows.Select((r, i) => r > 0 ? r * 4L * LayerRows.Elements(net.Layers[i]) : 0).Sum(), plan.WorkingMemoryBytes);
    }

    [Fact]
    public void AnAccumulatorNotConsumedByTheNextStepKeepsItsOwnRing()
    {
        Network net = StreamingNetworks.Build(new StreamingNetworks.Spec(114, 8, 6, 3, new[] { 16, 32, 64 }, 1, 4, 0, 5, false, 2, 1));
        int[] rows = RingRows(StreamingPlan.For(net, false));
        _out.WriteLine(string.Join(" ", net.Layers.Select((l, i) => $"{LayerKind.Name(l.Kind)}:{rows[i]}")));
        // Downsampling blocks with a padTop-2 stride-2 conv and a padTop-1 pool shortcut: for the last output row the
        // accumulator chain stops at input row 2y (the conv window is clipped), the pool window reaches row 2y + 1, so
        // after the second conv writes that row the next step produces a stream row, and the accumulator row must
        // survive it in a ring of its own.
        Assert.Equal((1, 1), (rows[9], rows[14]));
        Assert.Equal(StreamingPlan.Shared, rows[7]);
        AssertBitExact(net, 3, 11);
    }

    [Fact]
    public void LayersThePoolNeverReadsGetNoRingAndDoNotChangeTheResult()
    {
        var spec = new StreamingNetworks.Spec(9, 9, 7, 3, new[] { 8, 16 }, 1, 2, 3, 5, true, 1, 1, DeadLayers: true);
        Network net = StreamingNetworks.Build(spec);
        int[] rows = RingRows(StreamingPlan.For(net, false));
        Assert.Equal(0, rows[1]); // the dead quantize after the stem
        Assert.Equal(0, rows[2]); // the dead 1x1 conv
        AssertBitExact(net, 3, 9);
    }

    [Fact]
    public void TheDeviceMemoryPlanRefusesABudgetBelowParametersPlusWorkingMemory()
    {
        Network net = StreamingNetworks.Build(StreamingNetworks.Depth8Width16());
        long working = StreamingPlan.For(net, false).WorkingMemoryBytes, total = net.ParameterBytes + working;

        // The reference set keeps the weights and has no state, so the streaming runner is the whole cost.
        DeviceMemoryPlan tight = DeviceMemoryPlan.For(net, total - 1, ReferenceKernelSet.Instance, true);
        Assert.Equal(RunnerChoice.DoesNotFit, tight.Choice);
        Assert.Equal((net.ParameterBytes, 0L, 0L, working, total), (tight.ParameterBytes, tight.ReleasedBytes, tight.KernelBytes, tight.RunnerBytes, tight.TotalBytes));
        var e = Assert.Throws<MemoryBudgetException>(() => RunnerFactory.Build(tight));
        Assert.Equal((net.ParameterBytes, working, total - 1), (e.ParameterBytes, e.WorkingMemoryBytes, e.BudgetBytes));
        Assert.Contains($"parameters {net.ParameterBytes} + working memory {working} = {total} bytes > budget {total - 1} bytes", e.Message);
        _out.WriteLine(e.Message);

        DeviceMemoryPlan exact = DeviceMemoryPlan.For(net, total, ReferenceKernelSet.Instance, true);
        Assert.Equal(RunnerChoice.StreamingInt32, exact.Choice);
        var runner = Assert.IsType<StreamingRunner>(RunnerFactory.Build(exact));
        Assert.Equal(working, runner.WorkingMemory);
        // The same network does not fit under the whole-frame runner's buffers, which a roomy budget chooses.
        Assert.True(net.ParameterBytes + net.WorkingMemoryBytes > total);
        DeviceMemoryPlan roomy = DeviceMemoryPlan.For(net, net.ParameterBytes + net.WorkingMemoryBytes, ReferenceKernelSet.Instance, true);
        Assert.Equal(RunnerChoice.WholeFrame, roomy.Choice);
        Assert.IsType<NetworkRunner>(RunnerFactory.Build(roomy));
    }

    public static IEnumerable<object[]> MemoryCases()
    {
        yield return new object[] { new StreamingNetworks.Spec(1, 32, 32, 3, new[] { 16, 32, 64 }, 1, 1, 1, 10, false, 1, 1) };
        yield return new object[] { new StreamingNetworks.Spec(2, 13, 7, 1, new[] { 33, 66 }, 2, 4, 15, 7, true, 0, 2) };
        yield return new object[] { new StreamingNetworks.Spec(3, 1, 1, 3, new[] { 4 }, 1, 8, 0, 3, false, 1, 1) };
        yield return new object[] { new StreamingNetworks.Spec(4, 24, 20, 3, new[] { 16, 32, 64 }, 2, 2, 3, 10, true, 1, 1, DeadLayers: true) };
    }

    [Theory]
    [MemberData(nameof(MemoryCases))]
    public void ConstructionAllocatesTheComputedWorkingMemoryAndRunAllocatesNothing(StreamingNetworks.Spec spec)
    {
        Network net = StreamingNetworks.Build(spec);
        StreamingPlan plan = StreamingPlan.For(net, false);
        long computed = plan.WorkingMemoryBytes;
        int arrays = plan.AllocatedArrays;
        new StreamingRunner(net).Run(new byte[net.InputBytes]);   // warm up: type loading and JIT out of the measurement
        LayerKernels reference = ReferenceKernelSet.Instance.For(net, true, false);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var runner = new StreamingRunner(StreamingPlan.For(net, false), reference);
        long measured = GC.GetAllocatedBytesForCurrentThread() - before;
        _out.WriteLine($"{spec}: computed {computed} B, measured {measured} B over {arrays} arrays; whole-frame {net.WorkingMemoryBytes} B");
        Assert.Equal(computed, runner.WorkingMemory);
        // On top of the payloads: headers, the two objects, and the planner's one temporary int[layers].
        Assert.InRange(measured - computed, 0, PerArrayHeaderBytes * (arrays + 1) + 4L * net.Layers.Length + RunnerObjectBytes + PlanObjectBytes);

        byte[] pixels = SyntheticNetworks.RandomPixels(new Random(spec.Seed), net.InputBytes);
        foreach (StreamingRunner r in KernelSets.All().Select(k => new StreamingRunner(plan, k.For(net, true, false))).Prepend(runner))
        {
            r.Run(pixels); // the popcount kernel sizes its own scratch on first use
            Assert.Equal(0, AllocationProbe.LeastBytesPerAttempt(() => { for (int i = 0; i < 3; i++) r.Run(pixels); }));
        }
    }

    [Fact]
    public void Depth8Width16On32x32FitsWellUnder96KB()
    {
        Network net = StreamingNetworks.Build(StreamingNetworks.Depth8Width16());
        Assert.Equal(1 + 3 * 5 + 3, net.Layers.Length);
        Assert.Equal(new[] { 16, 32, 64 }, net.Layers.OfType<ResidualLayer>().Select(r => r.OutChannels).ToArray());
        StreamingPlan plan = StreamingPlan.For(net, false);
        long streaming = plan.WorkingMemoryBytes, whole = net.WorkingMemoryBytes;
        int[] rows = RingRows(plan);
        _out.WriteLine($"parameters {net.ParameterBytes} B; whole-frame working memory {whole} B; streaming {streaming} B; " +
            $"parameters + streaming {net.ParameterBytes + streaming} B");
        for (int i = 0; i < rows.Length; i++)
            _out.WriteLine($"  {i,2} {LayerKind.Name(net.Layers[i].Kind),-10} ring {rows[i]} x {plan.RowBytes(i)} B");
        Assert.True(whole > 150 * 1024, "the whole-frame runner needs about 200 KB here");
        Assert.True(net.ParameterBytes + streaming < 64 * 1024, $"parameters + streaming = {net.ParameterBytes + streaming} B");
        Assert.Equal(RunnerChoice.StreamingInt32, DeviceMemoryPlan.For(net, DeviceMemoryPlan.Esp32HeapBytes, ReferenceKernelSet.Instance, true).Choice);
        AssertBitExact(net, 2, 8);
    }

    private static int[] RingRows(StreamingPlan plan) => Enumerable.Range(0, plan.Network.Layers.Length).Select(plan.RingRowsOf).ToArray();
}
