using OneBit.App;
using OneBit.App.Hardware;
using OneBit.Device.Tests.Simulation;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests;

/// <summary>The app: start-up checks, the loop, and that faults are reported and retried but never end it.</summary>
public class AppLoopTests
{
    private static (DeviceApp App, ListOutput Out, FakeClock Clock) Make(IFrameSource source, byte[] blob = null, AppOptions options = null, IStatusLed led = null)
    {
        var output = new ListOutput();
        var clock = new FakeClock();
        var app = new DeviceApp(source, new ByteArrayModelSource(blob ?? Models.Blob(), "test blob"), output, clock, led, new FixedMemory(), options);
        return (app, output, clock);
    }

    [Fact]
    public void StartLoadsTheModelRunsTheSelfTestAndReportsMemory()
    {
        var (app, output, _) = Make(new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Gradient, 1));
        Assert.True(app.Start());
        string text = output.Text;
        Assert.Contains("model: 'random-1' 16x16x3 -> 5 classes", text);
        Assert.Contains("self-test: 2 test vectors passed", text);
        Assert.Contains("memory at start: 3500000 bytes free", text);
        Assert.Contains("crop 120x120 at (20,0), area resize to 16x16x3", text);
    }

    [Fact]
    public void ACorruptBlobStopsStartWithTheReadersMessage()
    {
        byte[] blob = Models.Blob();
        blob[blob.Length / 2] ^= 0x40;
        var (app, output, _) = Make(new SyntheticFrameSource(16, 16, PixelFormat.Gray8, SyntheticPattern.Noise, 1), blob);
        Assert.False(app.Start());
        Assert.Contains("model rejected: Invalid model blob", output.Text);
        Assert.Contains("CRC mismatch", output.Text);
        Assert.Throws<InvalidOperationException>(() => app.Step());
    }

    [Fact]
    public void AFailingSelfTestStopsStart()
    {
        byte[] blob = Models.Blob(tamper: net => net.TestVectors[1].LogitsCrc ^= 1);
        var (app, output, _) = Make(new SyntheticFrameSource(16, 16, PixelFormat.Gray8, SyntheticPattern.Noise, 1), blob);
        Assert.False(app.Start());
        Assert.Contains("self-test FAILED: test vector 1", output.Text);
    }

    [Fact]
    public void AModelOverTheMemoryBudgetIsRejected()
    {
        var (app, output, _) = Make(new SyntheticFrameSource(16, 16, PixelFormat.Gray8, SyntheticPattern.Noise, 1), options: new AppOptions { MemoryBudgetBytes = 1000 });
        Assert.False(app.Start());
        Assert.Contains("model does not fit", output.Text);
        Assert.Contains("> budget 1000 B", output.Text);
    }

    [Fact]
    public void EachFrameIsClassifiedExactlyAsTheRuntimeWouldAndReported()
    {
        var source = new SyntheticFrameSource(48, 36, PixelFormat.Rgb565, SyntheticPattern.Noise, 3);
        var (app, output, clock) = Make(source);
        clock.StepPerReading = 5;
        Assert.True(app.Start());
        output.Lines.Clear();

        var pre = new FramePreprocessor(48, 36, PixelFormat.Rgb565, 16, 16, 3, ResizeMode.Area, true);
        var runner = new NetworkRunner(BlobReader.Read(Models.Blob()));
        var frame = new byte[source.FrameBytes];
        var input = new byte[pre.OutputBytes];
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(FrameOutcome.Classified, app.Step());
            SyntheticFrameSource.Render(SyntheticPattern.Noise, 3, k, 48, 36, PixelFormat.Rgb565, frame);
            pre.Process(frame, input);
            int expected = runner.Run(input);
            Assert.Equal(expected, app.LastClass);
            Assert.Equal(runner.Logits[expected], app.LastScore);
            Assert.Equal(input, app.LastInput);
            Assert.Equal($"frame {k + 1}: class {expected} 'class{expected}' score {runner.Logits[expected]} | 15 ms (capture 5, preprocess 5, run 5)", output.Lines[k]);
        }
    }

    [Fact]
    public void TheLoopSurvivesFaultsBadFramesAndBugsAndReportsEachOne()
    {
        var source = new ScriptedSource("oofffffobxoo");
        var (app, output, clock) = Make(source, options: new AppOptions { RetryDelayMs = 100, MaxRetryDelayMs = 800, RecoverAfterFaults = 3 });
        Assert.True(app.Start());
        int recoveriesAtStart = source.Recoveries;   // Start brings a recoverable source up once
        Assert.Equal(1, recoveriesAtStart);
        output.Lines.Clear();
        clock.Sleeps.Clear();

        const int n = 120;   // 10 rounds of the script
        app.Run(n);

        Assert.Equal(n, app.Iterations);
        Assert.Equal(50, app.Classified);
        Assert.Equal(50, app.SourceFaults);
        Assert.Equal(10, app.BadFrames);
        Assert.Equal(10, app.Errors);
        Assert.Equal(10, app.Recoveries);          // the 3rd fault of each run of 5 re-initializes
        Assert.Equal(recoveriesAtStart + 10, source.Recoveries);
        Assert.Equal(n, output.Lines.Count(l => l.StartsWith("frame ")));
        Assert.Contains("frame 3: camera fault 1 in a row, retrying in 100 ms: simulated camera fault", output.Lines);
        Assert.Contains("re-initializing the camera after 3 faults", output.Lines);
        Assert.Contains("frame 9: skipped, simulated short frame", output.Lines);
        Assert.Contains("frame 10: error InvalidOperationException: simulated driver bug", output.Lines);
        // Back-off doubles per consecutive fault, capped, and starts over after a good frame.
        Assert.Equal(new[] { 100, 200, 400, 800, 800 }, clock.Sleeps.Take(5));
        Assert.Equal(100, clock.Sleeps[5]);   // the unexpected error waits the base delay
        Assert.Equal(100, clock.Sleeps[6]);   // next round's first fault: back to 100
    }

    [Fact]
    public void ACameraThatIsAbsentAtBootIsReportedAndRetriedForever()
    {
        var source = new ScriptedSource("f") { RecoverFails = true };
        var (app, output, _) = Make(source, options: new AppOptions { RecoverAfterFaults = 2 });
        Assert.True(app.Start());
        Assert.Contains("camera not ready (the loop keeps retrying): simulated: camera still absent", output.Lines);
        app.Run(10);
        Assert.Equal(10, app.SourceFaults);
        Assert.Equal(0, app.Recoveries);
        Assert.Equal(1 + 5, source.Recoveries);
        Assert.Contains("camera re-initialization failed: simulated: camera still absent", output.Lines);
    }

    [Fact]
    public void TheLedShowsActivityOrAChosenClass()
    {
        var led = new RecordingLed();
        var (app, _, _) = Make(new ScriptedSource("of"), led: led);
        Assert.True(app.Start());
        app.Run(2);
        Assert.Equal(new[] { true, false, true, false }, led.States);

        var led2 = new RecordingLed();
        var (app2, _, _) = Make(new SyntheticFrameSource(16, 16, PixelFormat.Rgb888, SyntheticPattern.Noise, 5), led: led2, options: new AppOptions { LedClass = 2 });
        Assert.True(app2.Start());
        for (int i = 0; i < 6; i++)
        {
            app2.Step();
            Assert.Equal(app2.LastClass == 2, led2.States[^1]);
        }
    }

    [Fact]
    public void TheWholeStackRunsOnTheSimulatedCameraAndRecoversFromABusFault()
    {
        var rig = new CameraRig();
        var output = new ListOutput();
        var app = new DeviceApp(rig.Camera, new ByteArrayModelSource(Models.Blob(), "test blob"), output, rig.Clock, null, null, new AppOptions());
        Assert.True(app.Start());
        Assert.Contains("camera ready", output.Lines);
        Assert.Equal(160, rig.Sensor.OutputWidth);

        app.Run(3);
        Assert.Equal(3, app.Classified);
        // The classification is what the runtime gives for the sensor's frame.
        var frame = SimulatedArduChip.DefaultFrame(rig.Sensor);
        var pre = new FramePreprocessor(160, 120, PixelFormat.Rgb565, 16, 16, 3, ResizeMode.Area, true);
        var input = new byte[pre.OutputBytes];
        pre.Process(frame, input);
        Assert.Equal(new NetworkRunner(BlobReader.Read(Models.Blob())).Run(input), app.LastClass);

        rig.Chip.Fault = OneBit.Camera.Bus.BusFault.Timeout;
        rig.Chip.FailFrom = rig.Chip.Transfers;
        rig.Chip.FailCount = 3;   // three captures fail at their first transfer; the re-init then works
        app.Run(5);
        Assert.Equal(3, app.SourceFaults);
        Assert.Equal(1, app.Recoveries);
        Assert.Equal(5, app.Classified);
        Assert.Contains(output.Lines, l => l.Contains("camera capture failed: SPI timeout"));
        Assert.Contains("re-initializing the camera after 3 faults", output.Lines);
    }
}

public class AppReportTests
{
    [Fact]
    public void ABlobWithoutTestVectorsIsSaidToBeUnchecked()
    {
        byte[] blob = Models.Blob(tamper: net => net.TestVectors = Array.Empty<OneBit.Runtime.Model.TestVector>());
        var output = new ListOutput();
        var app = new DeviceApp(new SyntheticFrameSource(16, 16, PixelFormat.Rgb888, SyntheticPattern.Noise, 1),
            new ByteArrayModelSource(blob, "test"), output, new FakeClock(), null, null, null);
        Assert.True(app.Start());
        Assert.Contains("self-test: the blob carries no test vectors", output.Text);
    }

    [Fact]
    public void ReportEverySkipsLinesButNotFaults()
    {
        var output = new ListOutput();
        var app = new DeviceApp(new ScriptedSource("ooof"), new ByteArrayModelSource(Models.Blob(), "test"), output, new FakeClock(),
            null, null, new AppOptions { ReportEvery = 3 });
        Assert.True(app.Start());
        output.Lines.Clear();
        app.Run(8);
        Assert.Equal(6, app.Classified);
        Assert.Equal(2, output.Lines.Count(l => l.Contains(": class ")));   // classified frames 3 and 6
        Assert.Equal(2, output.Lines.Count(l => l.Contains("camera fault")));
    }
}
