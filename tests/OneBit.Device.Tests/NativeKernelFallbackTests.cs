using OneBit.App;
using OneBit.Device.Tests.Simulation;
using OneBit.App.Hardware;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Device.Tests;

/// <summary>
/// The app with the firmware's native kernels (found through AppOptions.NativeAssembly/NativeKernelSetType, as
/// DeviceKernelChoice finds OneBit.Native): it runs them when they pass the blob's self-test, and when they do not (a
/// firmware built from other sources), or throw, it says so and classifies with the tuned kernels instead of stopping.
/// The preprocessor goes with the kernels: the firmware's with the native kernels, the C# FramePreprocessor otherwise.
/// </summary>
public class NativeKernelFallbackTests
{
    private static (DeviceApp App, ListOutput Out) Start(Type native)
    {
        var output = new ListOutput();
        var options = new AppOptions { NativeAssembly = "OneBit.Device.Tests", NativeKernelSetType = native.FullName };
        var app = new DeviceApp(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 1),
            new ByteArrayModelSource(Models.Blob(), "test blob"), output, new FakeClock(), null, new FixedMemory(), options);
        return (app, output);
    }

    [Fact]
    public void NativeKernelsThatPassTheSelfTestRun()
    {
        var (app, output) = Start(typeof(GoodNativeKernels));
        Assert.True(app.Start());
        Assert.Equal(FrameOutcome.Classified, app.Step());
        Assert.Contains("kernels: native (test firmware), runner: whole frame", output.Text);
        Assert.Contains("self-test: 2 test vectors passed", output.Text);
        Assert.DoesNotContain("FAILED", output.Text);
        Assert.Equal("native", Assert.IsType<NetworkRunner>(app.Runner).KernelName);

        // the firmware's preprocessor: checked once at start-up, then once per frame, with the C#'s bytes
        var native = Assert.IsType<FakeNativePreprocessor>(app.Preprocessing);
        Assert.Contains("area resize to 16x16x3, native preprocessor", output.Text);
        Assert.Equal(2, native.Calls);
        byte[] expected = new byte[app.LastInput.Length];
        app.Preprocessor.Process(native.LastFrame, expected);
        Assert.Equal(expected, app.LastInput);
        Assert.Equal(FrameOutcome.Classified, app.Step());
        Assert.Equal(3, native.Calls);
    }

    [Fact]
    public void WithoutTheNativeKernelsTheCSharpPreprocessorRuns()
    {
        var output = new ListOutput();
        var app = new DeviceApp(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 1),
            new ByteArrayModelSource(Models.Blob(), "test blob"), output, new FakeClock(), null, new FixedMemory(), new AppOptions());
        Assert.True(app.Start());
        Assert.Equal(FrameOutcome.Classified, app.Step());
        Assert.Contains("kernels: tuned (C# kernels: OneBit.Native is not loaded", output.Text);
        Assert.Same(app.Preprocessor, app.Preprocessing);
        Assert.Contains("area resize to 16x16x3, C# preprocessor", output.Text);
        Assert.DoesNotContain("preprocessor: ", output.Text);
    }

    [Fact]
    public void AFirmwarePreprocessorThatDisagreesLeavesTheCSharpOneBesideTheNativeKernels()
    {
        var (app, output) = Start(typeof(NativeKernelsWithAWrongPreprocessor));
        Assert.True(app.Start());
        Assert.Equal(FrameOutcome.Classified, app.Step());
        Assert.Equal("native", Assert.IsType<NetworkRunner>(app.Runner).KernelName);
        Assert.Same(app.Preprocessor, app.Preprocessing);
        Assert.Contains("preprocessor: C# (the native preprocessor gave other bytes than the C# on a test frame)", output.Text);
        Assert.Contains("area resize to 16x16x3, C# preprocessor", output.Text);
    }

    [Theory]
    [InlineData(typeof(WrongNativeKernels), "self-test FAILED with the native kernels: test vector 0: expected class ")]
    [InlineData(typeof(ThrowingNativeKernels), "self-test FAILED with the native kernels: ArgumentOutOfRangeException: ")]
    public void NativeKernelsThatFailTheSelfTestGiveWayToTheTunedOnes(Type native, string failure)
    {
        var (app, output) = Start(native);
        Assert.True(app.Start());
        Assert.Equal(FrameOutcome.Classified, app.Step());
        string text = output.Text;
        Assert.Contains("kernels: native (test firmware), runner: whole frame", text);
        Assert.Contains(failure, text);
        Assert.Contains("kernels: tuned (C# kernels: the native kernels failed the self-test (", text);
        Assert.Contains("self-test: 2 test vectors passed", text);
        Assert.Equal("tuned", Assert.IsType<NetworkRunner>(app.Runner).KernelName);
        // the tuned kernels take the C# preprocessor with them
        Assert.Same(app.Preprocessor, app.Preprocessing);
        Assert.Contains("area resize to 16x16x3, C# preprocessor", text);
        // the tuned line comes after the failure
        Assert.True(text.IndexOf("kernels: tuned", StringComparison.Ordinal) > text.IndexOf(failure, StringComparison.Ordinal));
    }
}

/// <summary>Firmware kernels for the tests: the reference kernels under the name "native" (stateless, as the C ones).</summary>
public class GoodNativeKernels : FirmwareKernelSet
{
    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) => new Kernels(this, network);

    public override string Probe() => null;

    public override string Description => "test firmware";

    public override IFramePreprocessor Preprocessor(FramePreprocessor geometry) => new FakeNativePreprocessor(geometry, OffByOne);

    /// <summary>Whether the preprocessor made here gives one byte off (a firmware built from other sources).</summary>
    protected virtual bool OffByOne => false;

    protected virtual void Finish(int[] logits)
    {
    }

    private sealed class Kernels(GoodNativeKernels set, Network network) : LayerKernels
    {
        private readonly LayerKernels _reference = ReferenceKernelSet.Instance.For(network, false, false);

        public override string Name => "native";

        public override void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd) => _reference.Stem(L, pixels, stream, outRows, oyStart, oyEnd);

        public override void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd) =>
            _reference.Quantize(L, input, inRows, planes, outRows, yStart, yEnd);

        public override void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd) =>
            _reference.Conv(L, planes, inRows, acc, outRows, oyStart, oyEnd);

        public override void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows, int[] streamOut, int outRows, int oyStart, int oyEnd) =>
            _reference.Residual(L, streamIn, inRows, acc, accRows, streamOut, outRows, oyStart, oyEnd);

        public override bool HasInt16Stream => true;

        /// <summary>The reference residual over int32 copies of the 16-bit rings (the reference set has no 16-bit residual).</summary>
        public override void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows, short[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            int[] input = Array.ConvertAll(streamIn, v => (int)v);
            int[] output = ReferenceEquals(streamIn, streamOut) ? input : Array.ConvertAll(streamOut, v => (int)v);
            _reference.Residual(L, input, inRows, acc, accRows, output, outRows, oyStart, oyEnd);
            for (int i = 0; i < output.Length; i++) streamOut[i] = unchecked((short)output[i]);
        }

        public override void PoolFinish(GlobalPoolLayer L, long[] sums, int[] logits)
        {
            _reference.PoolFinish(L, sums, logits);
            set.Finish(logits);
        }
    }
}

/// <summary>Kernels built from other sources: one logit off by one.</summary>
public sealed class WrongNativeKernels : GoodNativeKernels
{
    protected override void Finish(int[] logits) => logits[0]++;
}

/// <summary>Kernels that refuse their arguments, as the firmware's glue does (CLR_E_OUT_OF_RANGE).</summary>
public sealed class ThrowingNativeKernels : GoodNativeKernels
{
    protected override void Finish(int[] logits) => throw new ArgumentOutOfRangeException(nameof(logits), "ring too short");
}

/// <summary>Native kernels that pass, with a preprocessor that does not.</summary>
public sealed class NativeKernelsWithAWrongPreprocessor : GoodNativeKernels
{
    protected override bool OffByOne => true;
}

/// <summary>The firmware's preprocessor in these tests: the C# one, counted, with the last frame it saw (the C is checked
/// against the C# by tests/OneBit.NativeKernels.Tests/NativePreprocessTests).</summary>
public sealed class FakeNativePreprocessor(FramePreprocessor geometry, bool offByOne) : IFramePreprocessor
{
    public int Calls { get; private set; }

    public byte[] LastFrame { get; private set; }

    public string Name => "native";

    public void Process(byte[] frame, byte[] input)
    {
        Calls++;
        LastFrame = (byte[])frame.Clone();
        geometry.Process(frame, input);
        if (offByOne) input[0]++;
    }
}
