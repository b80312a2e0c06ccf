using OneBit.Camera.Bus;
using OneBit.Camera.Ov2640;
using OneBit.Device.Tests.Simulation;
using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests;

/// <summary>The OV2640 side of the driver against the simulated sensor: ID check, init sequence, output geometry.</summary>
public class Ov2640Tests
{
    [Fact]
    public void ChipIdIsReadFromTheSensorBankAfterSelectingIt()
    {
        var sim = new SimulatedOv2640();
        var sensor = new Ov2640Sensor(sim, new FakeClock());
        Assert.Equal(0x2642, sensor.ReadChipId());
        Assert.Equal((0, 0xFF, 1), sim.Writes[0]);   // BANK_SEL = sensor before reading 0x0A/0x0B
    }

    [Theory]
    [InlineData(0x26, 0x42)]
    [InlineData(0x26, 0x41)]
    public void TheOv2640IdsAreAccepted(byte high, byte low)
    {
        var rig = new CameraRig();
        rig.Sensor.PidHigh = high;
        rig.Sensor.PidLow = low;
        rig.Camera.Initialize();
    }

    [Fact]
    public void AWrongChipIdFailsWithAMessageNamingWhatWasFound()
    {
        var rig = new CameraRig();
        rig.Sensor.PidHigh = 0x56;   // an OV5642 (ArduCAM Mini 5MP)
        rig.Sensor.PidLow = 0x42;
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Initialize());
        Assert.Contains("0x56/0x42", e.Message);
        Assert.Contains("expected 0x26/0x42", e.Message);
        Assert.Equal(0, rig.Sensor.SoftResets);   // nothing was configured on the wrong chip
    }

    [Fact]
    public void InitResetsTheSensorThenWritesTheTablesInOrder()
    {
        var rig = new CameraRig();
        rig.Camera.Initialize();
        var w = rig.Sensor.Writes;
        int reset = w.FindIndex(x => x.Bank == 1 && x.Register == 0x12 && x.Value == 0x80);
        Assert.True(reset >= 0, "COM7 soft reset was not written");
        Assert.Contains(100, rig.Clock.Sleeps);   // settle time after the soft reset

        // The tables follow the reset as contiguous runs, in this order.
        var expected = new List<(int, int)>();
        foreach (byte[] table in new[] { Ov2640Tables.SensorCif, Ov2640Tables.DspCifWindow })
        {
            for (int i = 0; i < table.Length; i += 2) expected.Add((table[i], table[i + 1]));
        }
        var written = w.Skip(reset + 1).Select(x => (x.Register, x.Value)).ToList();
        Assert.Equal(expected, written.Take(expected.Count).ToList());
        Assert.Equal((0x5A, 160 / 4), written[expected.Count]);       // ZMOW
        Assert.Equal((0x5B, 120 / 4), written[expected.Count + 1]);   // ZMOH
        Assert.Equal((0x5C, 0), written[expected.Count + 2]);         // ZMHH
        var tail = written.Skip(written.Count - Ov2640Tables.Rgb565.Length / 2).ToList();
        var rgb = Enumerable.Range(0, Ov2640Tables.Rgb565.Length / 2).Select(i => ((int)Ov2640Tables.Rgb565[2 * i], (int)Ov2640Tables.Rgb565[2 * i + 1])).ToList();
        Assert.Equal(rgb, tail);

        Assert.Equal(160, rig.Sensor.OutputWidth);
        Assert.Equal(120, rig.Sensor.OutputHeight);
        Assert.True(rig.Sensor.Rgb565);
        Assert.True(rig.Sensor.Streaming);
        Assert.Equal(0x08, rig.Sensor.Register(SimulatedOv2640.Dsp, 0xDA));   // IMAGE_MODE RGB565, high byte first
        Assert.Equal(0x20, rig.Sensor.Register(SimulatedOv2640.Sensor, 0x12)); // COM7 CIF
    }

    [Theory]
    [InlineData(160, 120, PixelFormat.Gray8)]
    [InlineData(96, 96, PixelFormat.Rgb565)]
    [InlineData(64, 48, PixelFormat.Gray8)]
    [InlineData(400, 296, PixelFormat.Rgb565)]
    public void OutputSizeAndFormatReachTheDsp(int width, int height, PixelFormat format)
    {
        var rig = new CameraRig(width, height, format);
        rig.Camera.Initialize();
        Assert.Equal(width, rig.Sensor.OutputWidth);
        Assert.Equal(height, rig.Sensor.OutputHeight);
        Assert.Equal(format == PixelFormat.Rgb565, rig.Sensor.Rgb565);
        Assert.Equal(format == PixelFormat.Gray8, rig.Sensor.Yuv422);
    }

    [Theory]
    [InlineData(161, 120, PixelFormat.Rgb565)]
    [InlineData(640, 480, PixelFormat.Rgb565)]
    [InlineData(160, 120, PixelFormat.Rgb888)]
    [InlineData(4, 4, PixelFormat.Gray8)]
    public void UnsupportedCaptureSettingsAreRejectedUpFront(int width, int height, PixelFormat format)
    {
        var sim = new SimulatedOv2640();
        var e = Assert.Throws<ArgumentException>(() => new OneBit.Camera.ArduCamMini2MP(sim, new SimulatedArduChip(sim), new FakeClock(),
            new OneBit.Camera.ArduCamSettings { Width = width, Height = height, Format = format }));
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void TablesArePairsAndStartBySelectingABank()
    {
        foreach (byte[] t in new[] { Ov2640Tables.SensorCif, Ov2640Tables.DspCifWindow, Ov2640Tables.Rgb565, Ov2640Tables.Yuv422 })
        {
            Assert.Equal(0, t.Length % 2);
            Assert.Equal(0xFF, t[0]);
            for (int i = 0; i < t.Length; i += 2)
            {
                if (t[i] == 0xFF) Assert.True(t[i + 1] <= 1, "bank select must be 0 or 1");
            }
        }
        Assert.Equal(0x08, Ov2640Tables.Rgb565[5]);   // IMAGE_MODE value of the RGB565 table
        Assert.Equal(0x00, Ov2640Tables.Yuv422[5]);
    }

    [Fact]
    public void AnI2cNackDuringInitIsAClearError()
    {
        var rig = new CameraRig();
        rig.Sensor.Fault = BusFault.Nack;
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Initialize());
        Assert.Contains("I2C", e.Message);
        Assert.Contains("no acknowledge", e.Message);
        Assert.Contains("SDA/SCL", e.Message);
        var inner = Assert.IsType<BusFaultException>(e.InnerException);
        Assert.Equal(BusFault.Nack, inner.Fault);
    }

    [Fact]
    public void AnI2cTimeoutHalfwayThroughTheTablesIsAClearError()
    {
        var rig = new CameraRig();
        rig.Sensor.Fault = BusFault.Timeout;
        rig.Sensor.FailFrom = 40;
        var e = Assert.Throws<FrameSourceException>(() => rig.Camera.Initialize());
        Assert.Contains("timeout", e.Message);
        Assert.Contains("power-cycle", e.Message);
        Assert.Throws<FrameSourceException>(() => rig.Camera.Capture(rig.NewBuffer()));   // not initialized
    }
}
