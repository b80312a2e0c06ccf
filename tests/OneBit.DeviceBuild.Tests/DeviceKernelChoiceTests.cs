using OneBit.Runtime.Frames;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// The run-time choice of the device's kernels (shared/Kernels/Firmware/DeviceKernelChoice) on the host: the interop
/// assembly is found by name, and every way of not having the firmware's library gives the tuned C# kernels with a
/// reason, never an exception. OneBit.Native here is its host build (device/OneBit.Native/HostBuild), whose externs
/// answer as stock firmware does.
/// </summary>
public class DeviceKernelChoiceTests
{
    private const string Tests = "OneBit.DeviceBuild.Tests";

    [Fact]
    public void StockFirmwareGivesTheTunedKernelsAndSaysWhy()
    {
        var choice = DeviceKernelChoice.Probe();

        Assert.False(choice.Native);
        Assert.Same(TunedKernelSet.Instance, choice.Kernels);
        Assert.Equal("C# kernels: the firmware has no native code for OneBit.Native (stock nanoCLR)", choice.Reason);
    }

    [Fact]
    public void TheNativeSetIsChosenWhenTheFirmwareAnswersTheProbe()
    {
        var choice = DeviceKernelChoice.Probe(Tests, typeof(AnsweringFirmware).FullName!);

        Assert.True(choice.Native);
        var set = Assert.IsType<AnsweringFirmware>(choice.Kernels);
        Assert.Equal("native", set.Name);
        Assert.Equal("test firmware", choice.Reason);
    }

    [Theory]
    [InlineData("OneBit.NoSuchAssembly", "OneBit.Native.NativeKernelSet", "C# kernels: OneBit.NoSuchAssembly is not loaded (not deployed, or the firmware rejected it: see the native-checksum message at boot)")]
    [InlineData(Tests, "OneBit.DeviceBuild.Tests.NoSuchType", "C# kernels: OneBit.DeviceBuild.Tests has no type OneBit.DeviceBuild.Tests.NoSuchType")]
    [InlineData(Tests, "OneBit.DeviceBuild.Tests.DeviceKernelChoiceTests", "C# kernels: OneBit.DeviceBuild.Tests.DeviceKernelChoiceTests is not a FirmwareKernelSet")]
    [InlineData(Tests, "OneBit.DeviceBuild.Tests.OtherInteropVersion", "C# kernels: the firmware's library is interop version 2, this assembly expects 1")]
    [InlineData(Tests, "OneBit.DeviceBuild.Tests.FailingFirmware", "C# kernels: OneBit.DeviceBuild.Tests probe failed: ArgumentException: bad table row")]
    [InlineData(Tests, "OneBit.DeviceBuild.Tests.ThrowingConstructor", "C# kernels: OneBit.DeviceBuild.Tests could not be used: ")]
    public void EveryOtherAnswerGivesTheTunedKernels(string assembly, string type, string reason)
    {
        var choice = DeviceKernelChoice.Probe(assembly, type);

        Assert.False(choice.Native);
        Assert.Same(TunedKernelSet.Instance, choice.Kernels);
        Assert.StartsWith(reason, choice.Reason);
    }

    private static FramePreprocessor Geometry() => new(40, 30, PixelFormat.Rgb565, 8, 8, 3, ResizeMode.Area, true);

    [Fact]
    public void TheTunedKernelsGoWithTheCSharpPreprocessor()
    {
        var choice = DeviceKernelChoice.Probe();
        var geometry = Geometry();
        byte[] frame = new byte[geometry.SourceBytes], input = new byte[geometry.OutputBytes];

        Assert.Same(geometry, choice.Preprocessor(geometry, frame, input));
        Assert.Null(choice.PreprocessorNote);
        Assert.Equal("C#", geometry.Name);
        // no test frame was run: the buffers are as given
        Assert.All(frame, b => Assert.Equal(0, b));
    }

    [Fact]
    public void TheNativeKernelsGoWithTheFirmwaresPreprocessorWhenItGivesTheCSharpsBytes()
    {
        var choice = DeviceKernelChoice.Probe(Tests, typeof(AnsweringFirmware).FullName!);
        var geometry = Geometry();
        byte[] frame = new byte[geometry.SourceBytes], input = new byte[geometry.OutputBytes];

        var native = Assert.IsType<CountingPreprocessor>(choice.Preprocessor(geometry, frame, input));
        Assert.Null(choice.PreprocessorNote);
        Assert.Equal("native", native.Name);
        Assert.Equal(1, native.Calls);

        // a frame after the check: the firmware's bytes are the C#'s
        var random = new Random(3);
        random.NextBytes(frame);
        byte[] expected = new byte[input.Length];
        geometry.Process(frame, expected);
        native.Process(frame, input);
        Assert.Equal(expected, input);
        Assert.Equal(2, native.Calls);
    }

    [Theory]
    [InlineData(PreprocessorFault.OneByteOff, "the native preprocessor gave other bytes than the C# on a test frame")]
    [InlineData(PreprocessorFault.WritesNothing, "the native preprocessor gave other bytes than the C# on a test frame")]
    [InlineData(PreprocessorFault.Throws, "the native preprocessor failed: ArgumentException: window outside the frame")]
    public void AFirmwarePreprocessorThatDisagreesOrThrowsLeavesTheCSharpOne(PreprocessorFault fault, string note)
    {
        var choice = DeviceKernelChoice.Probe(Tests, typeof(AnsweringFirmware).FullName!);
        AnsweringFirmware.Fault = fault;
        try
        {
            var geometry = Geometry();
            Assert.Same(geometry, choice.Preprocessor(geometry, new byte[geometry.SourceBytes], new byte[geometry.OutputBytes]));
            Assert.Equal(note, choice.PreprocessorNote);
            Assert.True(choice.Native);
        }
        finally
        {
            AnsweringFirmware.Fault = PreprocessorFault.None;
        }
    }

    [Fact]
    public void TheNativeSetsFiguresKeepTheWeightsAndNoTables()
    {
        var net = SyntheticNetworks.Make(3);
        Assert.Equal(0, FirmwareKernelSet.Figures.StateBytes(net, true));
        Assert.Equal(0, FirmwareKernelSet.Figures.ReleasedParameterBytes(net));
        Assert.True(FirmwareKernelSet.Figures.HasInt16Stream);
        var e = Assert.Throws<NotSupportedException>(() => { FirmwareKernelSet.Figures.For(net, true, true); });
        Assert.Contains("OneBit.Native", e.Message);
        Assert.Throws<NotSupportedException>(() => FirmwareKernelSet.Figures.Preprocessor(Geometry()));
    }
}

public enum PreprocessorFault
{
    None,
    OneByteOff,
    WritesNothing,
    Throws,
}

/// <summary>The firmware's preprocessor in these tests: the C# one (the C is checked against it by
/// tests/OneBit.NativeKernels.Tests/NativePreprocessTests), counted, or faulty as <see cref="AnsweringFirmware.Fault"/> says.</summary>
public sealed class CountingPreprocessor(FramePreprocessor geometry, PreprocessorFault fault) : IFramePreprocessor
{
    public int Calls { get; private set; }

    public string Name => "native";

    public void Process(byte[] frame, byte[] input)
    {
        Calls++;
        if (fault == PreprocessorFault.Throws) throw new ArgumentException("window outside the frame");
        if (fault == PreprocessorFault.WritesNothing) return;
        geometry.Process(frame, input);
        if (fault == PreprocessorFault.OneByteOff) input[input.Length - 1]++;
    }
}

/// <summary>Firmware whose library answers: the reference kernels stand in for the C ones.</summary>
public sealed class AnsweringFirmware : FirmwareKernelSet
{
    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) => ReferenceKernelSet.Instance.For(network, rowsOnly, false);

    /// <summary>How the next preprocessor made here misbehaves (the theory sets and resets it).</summary>
    public static PreprocessorFault Fault { get; set; }

    public override string? Probe() => null;

    public override IFramePreprocessor Preprocessor(FramePreprocessor geometry) => new CountingPreprocessor(geometry, Fault);

    public override string Description => "test firmware";
}

public sealed class OtherInteropVersion : FirmwareKernelSet
{
    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) => throw new InvalidOperationException();

    public override string Probe() => "the firmware's library is interop version 2, this assembly expects 1";

    public override IFramePreprocessor Preprocessor(FramePreprocessor geometry) => throw new InvalidOperationException();

    public override string Description => "";
}

public sealed class FailingFirmware : FirmwareKernelSet
{
    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) => throw new InvalidOperationException();

    public override string Probe() => throw new ArgumentException("bad table row");

    public override IFramePreprocessor Preprocessor(FramePreprocessor geometry) => throw new InvalidOperationException();

    public override string Description => "";
}

public sealed class ThrowingConstructor : FirmwareKernelSet
{
    public ThrowingConstructor() => throw new InvalidOperationException("broken");

    public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights) => throw new InvalidOperationException();

    public override string Probe() => null!;

    public override IFramePreprocessor Preprocessor(FramePreprocessor geometry) => throw new InvalidOperationException();

    public override string Description => "";
}
