using OneBit.App;
using OneBit.App.Hardware;
using OneBit.Device.Tests.Simulation;
using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Device.Tests;

/// <summary>
/// The committed device-class models on the device's memory path (DeviceMemoryPlan and RunnerFactory: tuned kernels
/// taking over the weights, streaming runner), measured by the host's allocation counter: what the runtime allocates
/// must match the plan's sum, which `onebit inspect` prints as "device heap", and the models that claim to fit a
/// 96 KB heap do.
/// </summary>
public class DeviceClassModelHeapTests
{
    private const long DeviceHeap = DeviceMemoryPlan.Esp32HeapBytes;

    public static IEnumerable<object[]> Models()
    {
        yield return new object[] { "cifar10-bn8-c16-i16-b2", true };
        yield return new object[] { "cifar10-bn8-c14-b2", true };
        yield return new object[] { "fashion-mnist-bn8-1-b2", true };
        // The ResNet-20-shaped model fits with its stream in int16 rings (converted with --stream-bits 16).
        yield return new object[] { "cifar10-bn20-1-b2-affine", true };
    }

    private static byte[] Blob(string name) => File.ReadAllBytes(RepositoryPaths.ModelBlob(name));

    [Theory]
    [MemberData(nameof(Models))]
    public void MeasuredHeapMatchesTheInspectSumAndFitsWhenClaimed(string name, bool fits)
    {
        // As the app reads it: in pages, test-vector pixels left in the blob.
        var source = new ByteArrayBlobSource(Blob(name));
        Network net = BlobReader.Read(source, long.MaxValue, new AppOptions().BlobPageBytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        DeviceMemoryPlan plan = DeviceMemoryPlan.For(net, DeviceHeap, DeviceMemoryPlan.DeviceKernels, false);
        long planned = GC.GetAllocatedBytesForCurrentThread() - before;
        long predicted = plan.TotalBytes;
        Assert.Equal(StreamBound.FitsInt16(net) ? RunnerChoice.StreamingInt16 : RunnerChoice.StreamingInt32, plan.Choice);
        Assert.Equal(net.ParameterBytes - TunedBinaryConv.SourceWeightBytes(net) + TunedBinaryConv.PlanBytes(net) + TunedStem.RowPlanBytes(net)
            + plan.Streaming.WorkingMemoryBytes, predicted);

        before = GC.GetAllocatedBytesForCurrentThread();
        var runner = RunnerFactory.Build(plan);
        long built = GC.GetAllocatedBytesForCurrentThread() - before;
        // Planning keeps the streaming plan's arrays; the rest is garbage of the size queries (headers included).
        Assert.InRange(planned, plan.Streaming.PlanArrayBytes, plan.Streaming.PlanArrayBytes + 4096);
        // Parameters still held (thresholds, stem, head; the conv weights now live in the kernels' plans) + what the
        // plan keeps + what the factory allocated (kernel tables, rings, object headers, the kernels' planning
        // temporaries: an upper bound on what stays).
        Assert.Equal(plan.ParameterBytes - plan.ReleasedBytes, net.ParameterBytes);
        long measured = net.ParameterBytes + plan.Streaming.PlanArrayBytes + built;
        Console.WriteLine($"{name}: {plan.Describe()}; planning allocated {planned} B, the runner {built} B; measured {measured} B (device/README.md's \"measured on the host\")");

        // The plan counts array payloads; the counter also sees object headers and planning temporaries.
        Assert.InRange(measured, predicted, predicted + predicted * 15 / 100);
        // With all the planning garbage as well, what claims to fit does.
        if (fits) Assert.True(net.ParameterBytes + planned + built <= DeviceHeap, $"{name}: {net.ParameterBytes + planned + built} bytes allocated > {DeviceHeap}");
        Assert.Equal(fits, plan.Fits);
        Assert.Null(SelfTest.Run(runner, source));
    }

    /// <summary>
    /// With the firmware's native kernels (no tables, the blob-layout weights kept) the device heap is the parameters plus
    /// the runner's buffers, below the tuned path's for every committed model, streaming and whole frame; what building
    /// the runner allocates is its buffers (a stateless stand-in for the native set, as on the device).
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void TheNativeKernelsNeedNoMoreHeapThanTheTunedOnes(string name, bool _)
    {
        Network net = BlobReader.Read(Blob(name), long.MaxValue);
        foreach (bool whole in new[] { false, true })
        {
            DeviceMemoryPlan tuned = DeviceMemoryPlan.For(net, whole ? long.MaxValue : DeviceHeap, DeviceMemoryPlan.DeviceKernels, whole);
            DeviceMemoryPlan native = DeviceMemoryPlan.For(net, whole ? long.MaxValue : DeviceHeap, FirmwareKernelSet.Figures, whole);
            Assert.Equal(tuned.Choice, native.Choice);
            Assert.Equal(net.ParameterBytes + native.RunnerBytes, native.TotalBytes);
            Assert.True(native.TotalBytes <= tuned.TotalBytes, $"{name}, whole frame {whole}: native {native.TotalBytes} B > tuned {tuned.TotalBytes} B");
        }

        DeviceMemoryPlan plan = DeviceMemoryPlan.For(net, DeviceHeap, new GoodNativeKernels(), false);
        Assert.Equal(DeviceMemoryPlan.For(net, DeviceHeap, FirmwareKernelSet.Figures, false).TotalBytes, plan.TotalBytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        IFrameClassifier runner = RunnerFactory.Build(plan);
        long built = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(built, plan.RunnerBytes, plan.RunnerBytes + plan.RunnerBytes * 15 / 100);
        Assert.Null(SelfTest.Run(runner));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheAppStartsWithinA96KiBudget(string name, bool fits)
    {
        var output = new ListOutput();
        var app = new DeviceApp(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 1),
            new ByteArrayModelSource(Blob(name), name), output, new FakeClock(), null, new FixedMemory(),
            new AppOptions { MemoryBudgetBytes = DeviceHeap, WholeFrameWhenItFits = false });
        Assert.Equal(fits, app.Start());
        Assert.Contains(fits ? "self-test: 4 test vectors passed" : "model does not fit", output.Text);
        if (!fits) return;
        var runner = Assert.IsType<StreamingRunner>(app.Runner);
        Assert.Equal("tuned", runner.KernelName);
        // no OneBit.Native beside the tests: the tuned kernels, and the start-up line says why
        Assert.Contains("kernels: tuned (C# kernels: OneBit.Native is not loaded (not deployed, or the firmware rejected it: see the native-checksum message at boot)), runner: streaming int"
            + (runner.Plan.Int16Stream ? "16" : "32") + ", ", output.Text);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void WithRoomTheAppRunsTheWholeFrameAndClassifiesLikeTheStreamingRunner(string name, bool _)
    {
        Network net = BlobReader.Read(Blob(name), long.MaxValue);
        long wholeFrame = DeviceMemoryPlan.For(net, long.MaxValue).TotalBytes;
        DeviceApp Start(long budget)
        {
            var app = new DeviceApp(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 3),
                new ByteArrayModelSource(Blob(name), name), new ListOutput(), new FakeClock(), null, new FixedMemory(), new AppOptions { MemoryBudgetBytes = budget });
            Assert.True(app.Start());
            return app;
        }

        // At exactly its size the whole-frame runner is chosen; one byte less, the app streams rows.
        DeviceApp whole = Start(wholeFrame), streaming = Start(wholeFrame - 1);
        Assert.IsType<NetworkRunner>(whole.Runner);
        Assert.IsType<StreamingRunner>(streaming.Runner);
        for (int frame = 0; frame < 3; frame++)
        {
            whole.Step();
            streaming.Step();
            Assert.Equal(streaming.Runner.Logits, whole.Runner.Logits);
        }

        // What it allocates is what the plan says (array payloads; headers and planning temporaries on top).
        Network fresh = BlobReader.Read(Blob(name), long.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        DeviceMemoryPlan plan = DeviceMemoryPlan.For(fresh, wholeFrame);
        Assert.Equal(RunnerChoice.WholeFrame, plan.Choice);
        Assert.Equal(fresh.ParameterBytes - TunedBinaryConv.SourceWeightBytes(fresh) + TunedBinaryConv.PlanBytes(fresh) + TunedStem.PlanBytes(fresh)
            + fresh.WorkingMemoryBytes, wholeFrame);
        var runner = RunnerFactory.Build(plan);
        long measured = fresh.ParameterBytes + GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(measured, wholeFrame, wholeFrame + wholeFrame * 15 / 100);
        Assert.Null(SelfTest.Run(runner));
    }

    [Fact]
    public void BelowItsHeapTheAccurateModelIsRefusedWithTheNumbers()
    {
        const string name = "cifar10-bn20-1-b2-affine";
        var output = new ListOutput();
        var app = new DeviceApp(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 1),
            new ByteArrayModelSource(Blob(name), name), output, new FakeClock(), null, new FixedMemory(), new AppOptions { MemoryBudgetBytes = 80 * 1024 });
        Assert.False(app.Start());
        Network net = BlobReader.Read(Blob(name), long.MaxValue);
        long streaming = StreamingPlan.For(net, true).WorkingMemoryBytes, tables = TunedBinaryConv.PlanBytes(net) + TunedStem.RowPlanBytes(net);
        long weights = TunedBinaryConv.SourceWeightBytes(net);
        Assert.Contains("model does not fit: parameters " + net.ParameterBytes + " - conv weights taken over " + weights + " + tuned kernel tables " + tables
            + " + streaming (int16 rings) " + streaming + " = " + (net.ParameterBytes - weights + tables + streaming) + " B > budget 81920 B", output.Text);
    }
}
