using OneBit.App;
using OneBit.App.Hardware;
using OneBit.Device.Tests.Simulation;
using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Device.Tests;

/// <summary>
/// The committed device-class models on the device's memory path (tuned conv plans taking over the weights, streaming
/// runner), measured by the host's allocation counter: what the runtime allocates must match the "device heap" sum
/// that `onebit inspect` prints from the blob, and the models that claim to fit a 96 KB heap do.
/// </summary>
public class DeviceClassModelHeapTests
{
    private const long DeviceHeap = 96 * 1024;

    public static IEnumerable<object[]> Models()
    {
        yield return new object[] { "cifar10-bn8-c16-i16-b2", true };
        yield return new object[] { "cifar10-bn8-c14-b2", true };
        yield return new object[] { "fashion-mnist-srelu8-1-b2", true };
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
        bool compact = StreamBound.FitsInt16(net);
        long predicted = net.ParameterBytes - TunedBinaryConv.SourceWeightBytes(net) + TunedBinaryConv.PlanBytes(net) + StreamingRunner.WorkingMemoryBytes(net, true, compact);

        long before = GC.GetAllocatedBytesForCurrentThread();
        TunedBinaryConv kernel = TunedBinaryConv.TakingOverWeights(net);
        long plans = GC.GetAllocatedBytesForCurrentThread() - before;
        var runner = new StreamingRunner(net, kernel, long.MaxValue, true, compact);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"{name}: plans {plans} B allocated ({TunedBinaryConv.PlanBytes(net)} predicted), runner {allocated - plans} B ({StreamingRunner.WorkingMemoryBytes(net, true, compact)} predicted, int16 stream {compact})");
        // Parameters still held (thresholds, stem, head; the conv weights now live in the plans) + what planning and
        // the runner allocated (plans, rings, object headers, planning temporaries: an upper bound on what stays).
        long measured = net.ParameterBytes + allocated;

        // The inspect sum counts array payloads; the counter also sees object headers and planning temporaries.
        Assert.InRange(measured, predicted, predicted + predicted * 15 / 100);
        if (fits) Assert.True(measured <= DeviceHeap, $"{name}: {measured} bytes measured > {DeviceHeap}");
        Assert.Null(SelfTest.Run(runner, source));
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
        if (fits) Assert.IsType<StreamingRunner>(app.Runner);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void WithRoomTheAppRunsTheWholeFrameAndClassifiesLikeTheStreamingRunner(string name, bool _)
    {
        Network net = BlobReader.Read(Blob(name), long.MaxValue);
        long wholeFrame = NetworkRunner.TunedDeviceBytes(net);
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

        // What it allocates is what TunedDeviceBytes says (array payloads; headers and planning temporaries on top).
        Network fresh = BlobReader.Read(Blob(name), long.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var runner = new NetworkRunner(fresh, TunedBinaryConv.TakingOverWeights(fresh), true);
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
        long streaming = StreamingRunner.WorkingMemoryBytes(net, true, true), plans = TunedBinaryConv.PlanBytes(net);
        long parameters = net.ParameterBytes - TunedBinaryConv.SourceWeightBytes(net);
        Assert.Contains("model does not fit: parameters " + parameters + " + streaming working memory " + streaming + " + conv tables " + plans
            + " = " + (parameters + streaming + plans) + " bytes > budget 81920 bytes", output.Text);
    }
}
