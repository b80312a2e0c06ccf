using OneBit.Camera.Bus;
using OneBit.Device.Tests.Simulation;
using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests;

/// <summary>The ArduChip side: SPI test, capture handshake, FIFO length, burst reads, faults.</summary>
public class CaptureTests
{
    private static byte[] RandomFrame(int length, int seed)
    {
        var f = new byte[length];
        new Random(seed).NextBytes(f);
        return f;
    }

    [Fact]
    public void InitResetsTheCpldAndTestsTheSpiBus()
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        Assert.Equal(1, rig.Chip.CpldResets);
        int i55 = rig.Chip.Log.IndexOf("W00=55");
        Assert.True(i55 >= 0);
        Assert.Equal("R00", rig.Chip.Log[i55 + 1]);
        Assert.Contains("W00=AA", rig.Chip.Log);
    }

    [Theory]
    [InlineData((byte)0x00)]
    [InlineData((byte)0xFF)]
    public void ABrokenSpiBusFailsWithTheValueReadBack(byte stuck)
    {
        var rig = new CameraRig();
        rig.Chip.StuckTestRegister = stuck;
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Initialize());
        Assert.Contains("SPI test failed", e.Message);
        Assert.Contains("0x" + stuck.ToString("X2"), e.Message);
        Assert.Equal(0, rig.Sensor.Transfers);   // never got as far as the sensor
    }

    [Fact]
    public void CaptureFollowsTheHandshake()
    {
        var rig = new CameraRig();
        rig.Chip.PollsUntilDone = 3;
        rig.Camera.Initialize();
        rig.Chip.Log.Clear();
        rig.Camera.Capture(rig.NewBuffer());

        var log = rig.Chip.Log;
        Assert.Equal("W04=01", log[0]);   // clear the done flag / flush
        Assert.Equal("W04=02", log[1]);   // start
        int polls = log.Skip(2).TakeWhile(s => s == "R41").Count();
        Assert.Equal(4, polls);           // three "not yet", then done
        Assert.Equal(4, rig.Camera.LastPollCount);
        Assert.Equal(new[] { "R42", "R43", "R44" }, log.Skip(2 + polls).Take(3));
        Assert.StartsWith("BURST", log[2 + polls + 3]);
        Assert.Equal("W04=01", log[^1]); // clear after reading
        Assert.Equal(160 * 120 * 2, rig.Camera.LastFifoLength);
        Assert.Equal(3, rig.Clock.Sleeps.Count(s => s == rig.Settings.PollIntervalMs));
    }

    [Theory]
    [InlineData(1024, false)]
    [InlineData(7, false)]
    [InlineData(38400, false)]
    [InlineData(1000, true)]
    public void ARecordedFrameIsReadBackIntactThroughBurstReads(int chunk, bool oldChipWithDummyByte)
    {
        var rig = new CameraRig(configure: s => { s.BurstChunkBytes = chunk; s.BurstDummyBytes = oldChipWithDummyByte ? 1 : 0; });
        rig.Chip.BurstDummyByte = oldChipWithDummyByte;
        byte[] recorded = RandomFrame(160 * 120 * 2, chunk);
        rig.Chip.FrameSupplier = _ => recorded;
        rig.Camera.Initialize();
        byte[] buffer = rig.NewBuffer();
        for (int frame = 0; frame < 2; frame++)
        {
            Array.Clear(buffer);
            rig.Camera.Capture(buffer);
            Assert.Equal(recorded, buffer);
        }
        int transfersPerFrame = (recorded.Length + chunk - 1) / chunk;
        Assert.Equal(2 * transfersPerFrame, rig.Chip.BurstTransfers);
    }

    [Fact]
    public void AMissingDummyByteSettingShowsUpAsAShiftedFrame()
    {
        var rig = new CameraRig();
        rig.Chip.BurstDummyByte = true;   // old chip, driver not told
        byte[] recorded = RandomFrame(160 * 120 * 2, 5);
        rig.Chip.FrameSupplier = _ => recorded;
        rig.Camera.Initialize();
        byte[] buffer = rig.NewBuffer();
        rig.Camera.Capture(buffer);
        Assert.NotEqual(recorded, buffer);
        Assert.Equal(recorded[0], buffer[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gray8KeepsTheYBytesOfYuv422(bool yFirst)
    {
        var rig = new CameraRig(160, 120, PixelFormat.Gray8, s => s.YuvYFirst = yFirst);
        byte[] yuv = RandomFrame(160 * 120 * 2, 11);
        rig.Chip.FrameSupplier = _ => yuv;
        rig.Camera.Initialize();
        byte[] buffer = rig.NewBuffer();
        Assert.Equal(160 * 120, buffer.Length);
        rig.Camera.Capture(buffer);
        int first = yFirst ? 0 : 1;
        for (int i = 0; i < buffer.Length; i++) Assert.Equal(yuv[2 * i + first], buffer[i]);
    }

    [Fact]
    public void ACaptureThatNeverCompletesTimesOutWithoutWaitingForReal()
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        rig.Chip.NeverDone = true;
        long before = rig.Clock.Now;
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Capture(rig.NewBuffer()));
        Assert.Contains("timed out after 1000 ms", e.Message);
        Assert.Contains("0x41", e.Message);
        Assert.True(rig.Clock.Now - before >= 1000);
        Assert.IsNotType<BadFrameException>(e);
    }

    [Fact]
    public void AnUnconfiguredSensorMeansNoFrame()
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        rig.Sensor.Write(new byte[] { 0xFF, 0x00 });
        rig.Sensor.Write(new byte[] { 0x05, 0x01 });   // DSP bypassed: nothing reaches the FIFO
        Assert.Throws<FrameSourceException>(() => rig.Camera.Capture(rig.NewBuffer()));
    }

    [Theory]
    [InlineData(160 * 120 * 2 - 1)]
    [InlineData(0)]
    [InlineData(320 * 240 * 2)]
    [InlineData(0x7FFFFF)]
    public void AFifoLengthThatIsNotOneFrameIsABadFrame(int reported)
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        rig.Chip.LengthOverride = reported;
        var e = Assert.Throws<BadFrameException>(() => rig.Camera.Capture(rig.NewBuffer()));
        Assert.Contains(reported.ToString(), e.Message);
        Assert.Contains("38400", e.Message);
        Assert.Equal("W04=01", rig.Chip.Log[^1]);   // FIFO cleared for the next try
        rig.Chip.LengthOverride = null;
        rig.Camera.Capture(rig.NewBuffer());          // and the next frame is fine
    }

    [Fact]
    public void AFewExtraBytesInTheLengthCounterAreTolerated()
    {
        var rig = new CameraRig();
        rig.Chip.LengthSlack = 8;
        byte[] recorded = RandomFrame(160 * 120 * 2, 3);
        rig.Chip.FrameSupplier = _ => recorded;
        rig.Camera.Initialize();
        byte[] buffer = rig.NewBuffer();
        rig.Camera.Capture(buffer);
        Assert.Equal(recorded, buffer);
        Assert.Equal(recorded.Length + 8, rig.Camera.LastFifoLength);
    }

    [Theory]
    [InlineData(BusFault.Timeout, "timeout")]
    [InlineData(BusFault.Other, "bus error")]
    [InlineData(BusFault.ShortTransfer, "short transfer")]
    public void AnSpiFaultDuringABurstIsAClearFrameSourceError(BusFault fault, string words)
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        rig.Chip.Fault = fault;
        rig.Chip.FailFrom = rig.Chip.Transfers + 10;   // in the middle of the burst reads
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Capture(rig.NewBuffer()));
        Assert.Contains("camera capture failed: SPI " + words, e.Message);
        Assert.Equal(fault, Assert.IsType<BusFaultException>(e.InnerException).Fault);
    }

    [Fact]
    public void CaptureAllocatesNothing()
    {
        var rig = new CameraRig(configure: s => s.BurstChunkBytes = 1000);
        byte[] recorded = RandomFrame(160 * 120 * 2, 9);
        rig.Chip.FrameSupplier = _ => recorded;
        rig.Camera.Initialize();
        rig.Chip.LogEnabled = false;
        rig.Clock.Record = false;
        byte[] buffer = rig.NewBuffer();
        rig.Camera.Capture(buffer);   // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) rig.Camera.Capture(buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
