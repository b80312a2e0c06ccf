using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;
using Xunit.Abstractions;

namespace OneBit.Runtime.Tests;

/// <summary>
/// The streaming plan on its own, without running a kernel: its step list replayed against the wiring and the ring
/// layout must be a valid schedule (every executed layer computes each row its consumers read exactly once, in order; every
/// input row a step reads has been produced and is still in its ring slot, also with the shared scratch row that
/// 16-bit stream steps borrow; the pool consumes its last row in the last step).
/// </summary>
public class StreamingPlanTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> SweepCases() => StreamingNetworks.Sweep(48).Select((s, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(SweepCases))]
    public void TheStepListIsAValidScheduleOnRandomNetworks(int index)
    {
        StreamingNetworks.Spec spec = StreamingNetworks.Sweep(48).ElementAt(index);
        Network net = StreamingNetworks.Build(spec);
        output.WriteLine(spec.ToString());
        AssertValidSchedule(StreamingPlan.For(net, false));
        AssertValidSchedule(StreamingPlan.For(StreamingNetworks.WithInt16Stream(net), true));
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void TheStepListIsAValidScheduleOnTheSyntheticNetworksOfTheOtherTests(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad)));
        AssertValidSchedule(StreamingPlan.For(net, false));
    }

    /// <summary>Over 256 layers a run takes four bytes; the runner reads them and stays bit-exact.</summary>
    [Fact]
    public void MoreThan256LayersTakeTwoBytesPerLayerIndex()
    {
        Network net = StreamingNetworks.Build(new StreamingNetworks.Spec(77, 5, 4, 3, new[] { 4, 8 }, 26, 2, 3, 3, true, 1, 1));
        Assert.True(net.Layers.Length > 256, $"{net.Layers.Length} layers");
        StreamingPlan plan = StreamingPlan.For(net, false);
        Assert.Equal(4 * plan.RunCount, plan.RunListBytes);
        AssertValidSchedule(plan);
        var whole = new NetworkRunner(net);
        var streaming = new StreamingRunner(plan, TunedKernelSet.Instance.For(net, true, false));
        RunnerAgreement.AssertAgree(new Random(77), 2, whole, streaming);
    }

    /// <summary>What the replay checks must be able to catch: a list with two steps swapped is refused.</summary>
    [Fact]
    public void AReorderedStepListIsCaught()
    {
        Network net = StreamingNetworks.Build(StreamingNetworks.Depth8Width16());
        StreamingPlan plan = StreamingPlan.For(net, false);
        int[] steps = Steps(plan);
        AssertValidSchedule(plan, steps);
        int first = Array.IndexOf(steps, 2);                          // the first row of the first conv ...
        (steps[first], steps[first - 1]) = (steps[first - 1], steps[first]);   // ... before its input planes
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertValidSchedule(plan, steps));
    }

    /// <summary>The ring rows of known shapes (the cases in the plan's class comment).</summary>
    [Fact]
    public void RingRowsOfAnIdentityAndADownsamplingBlock()
    {
        Network net = StreamingNetworks.Build(new StreamingNetworks.Spec(7, 16, 16, 3, new[] { 8, 16 }, 1, 2, 3, 5, false, 1, 1));
        StreamingPlan plan = StreamingPlan.For(net, false);
        // The stem's ring, which the identity residual (layer 5) writes over: 7 rows.
        Assert.Equal((7, StreamingPlan.Aliased, 0, 7), (plan.RingRowsOf(0), plan.RingRowsOf(5), plan.RingOwnerOf(5), plan.ResolvedRowsOf(5)));
        // Planes feeding 3x3 convs: 3 rows; accumulators in the shared row: 1 row resolved.
        Assert.Equal((3, 3, StreamingPlan.Shared, 1), (plan.RingRowsOf(1), plan.RingRowsOf(6), plan.RingRowsOf(2), plan.ResolvedRowsOf(2)));
        // Wiring: the residual reads the stem (shortcut) and the conv before it; the pool the head conv.
        Assert.Equal((0, 4), (plan.InputOf(5, 0), plan.InputOf(5, 1)));
        Assert.Equal((12, StreamingPlan.NoInput), (plan.InputOf(13, 0), plan.InputOf(13, 1)));
        // Scratch: the longest shared accumulator row (16 wide x 8 channels); int16 rings need no longer one here.
        Assert.Equal(16 * 8, plan.ScratchRowElements);
        StreamingPlan int16 = StreamingPlan.For(StreamingNetworks.WithInt16Stream(net), true);
        Assert.Equal(16 * 8, int16.ScratchRowElements);
        Assert.Equal(2L * 16 * 8, int16.RowBytes(0));
        Assert.Equal(plan.RingBytes - (7 + 1) * 16 * 8 * 2L, int16.RingBytes);   // the stem ring and the last stream ring halve
        Assert.Equal(plan.WorkingMemoryBytes - (7 + 1) * 16 * 8 * 2L + StreamingPlan.ReferenceSlotBytes * net.Layers.Length, int16.WorkingMemoryBytes);
    }

    internal static int[] Steps(StreamingPlan plan) => Enumerable.Range(0, plan.StepCount).Select(plan.StepAt).ToArray();

    internal static void AssertValidSchedule(StreamingPlan plan) => AssertValidSchedule(plan, Steps(plan));

    /// <summary>
    /// Replays <paramref name="steps"/>: tracks which (layer, row) every ring slot holds (own rings, rings written
    /// over in place, the shared scratch row) and checks each step's reads against it before applying its write.
    /// </summary>
    internal static void AssertValidSchedule(StreamingPlan plan, int[] steps)
    {
        Layer[] layers = plan.Network.Layers;
        int n = layers.Length, last = n - 1;
        var produced = new int[n];
        // Storage: a layer's ring is keyed by its owner's index; the shared row by -1.
        var slots = new Dictionary<(int Storage, int Slot), (int Layer, int Row)>();
        int StorageOf(int layer) => plan.RingRowsOf(layer) == StreamingPlan.Shared ? -1 : plan.RingOwnerOf(layer);

        for (int s = 0; s < steps.Length; s++)
        {
            int node = steps[s], r = produced[node];
            Assert.True(plan.InputOf(node, 0) != StreamingPlan.Dead, $"step {s}: dead layer {node} runs");
            Assert.True(r < LayerRows.Count(layers[node]), $"step {s}: layer {node} computes row {r} of {LayerRows.Count(layers[node])}");
            for (int slot = 0; slot < 2; slot++)
            {
                int input = plan.InputOf(node, slot);
                if (input < 0) continue;
                int rows = LayerRows.Count(layers[input]);
                int first = Math.Max(0, LayerRows.FirstInput(layers[node], slot, r)), lastRow = Math.Min(rows - 1, LayerRows.LastInput(layers[node], slot, r));
                for (int y = first; y <= lastRow; y++)
                {
                    Assert.True(y < produced[input], $"step {s}: layer {node} row {r} reads row {y} of layer {input}, which has produced {produced[input]}");
                    slots.TryGetValue((StorageOf(input), y % plan.ResolvedRowsOf(input)), out var held);
                    Assert.True(held == (input, y), $"step {s}: layer {node} row {r} reads row {y} of layer {input}, but its slot holds row {held.Row} of layer {held.Layer}");
                }
            }
            // 16-bit stream rings: the stem and the stream quantizers use the shared row as their own one-row ring.
            if (plan.Int16Stream && (layers[node].Kind == LayerKind.Stem
                || (layers[node] is QuantizeLayer q && q.Source == QuantizeLayer.FromStream))) slots[(-1, 0)] = (node, -1);
            if (node != last) slots[(StorageOf(node), r % plan.ResolvedRowsOf(node))] = (node, r);
            produced[node]++;
        }
        Assert.Equal(last, steps[^1]);
        // Every executed layer computes exactly the rows its consumers read (all of them, except where the windows of
        // the rows the consumers compute never reach the bottom rows, e.g. below a stride-2 conv with two rows of top
        // padding); the pool all its rows. Consumers come later, so backwards from the pool.
        var needed = new int[n];
        needed[last] = LayerRows.Count(layers[last]);
        for (int j = last; j >= 0; j--)
        {
            Assert.True(plan.InputOf(j, 0) != StreamingPlan.Dead || needed[j] == 0, $"dead layer {j} is read");
            Assert.Equal(needed[j], produced[j]);
            if (needed[j] == 0) continue;
            for (int slot = 0; slot < 2; slot++)
            {
                int i = plan.InputOf(j, slot);
                if (i < 0) continue;
                int lastRead = Math.Min(LayerRows.LastInput(layers[j], slot, needed[j] - 1), LayerRows.Count(layers[i]) - 1);
                needed[i] = Math.Max(needed[i], lastRead + 1);
            }
        }
        Assert.Equal((n > 256 ? 4 : 2) * plan.RunCount, plan.RunListBytes);
        // The runs are maximal: a run ends where the next step is not the next layer.
        for (int run = 1; run < plan.RunCount; run++) Assert.NotEqual(plan.RunLast(run - 1) + 1, plan.RunFirst(run));
    }
}
