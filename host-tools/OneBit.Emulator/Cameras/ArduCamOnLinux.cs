using System.Diagnostics;
using OneBit.Camera;
using OneBit.Camera.Host;
using OneBit.Runtime.Frames;

namespace OneBit.Emulator.Cameras;

/// <summary>
/// The device's ArduCAM Mini 2MP driver on a Linux board (e.g. a Raspberry Pi): the same driver source, with
/// System.Device.I2c/Spi buses. SPI bus/chip select and I2C bus are the board's (/dev/spidevB.C, /dev/i2c-N).
/// </summary>
public static class ArduCamOnLinux
{
    private sealed class HostClock : OneBit.Camera.IClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        public long Milliseconds => _watch.ElapsedMilliseconds;
        public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
    }

    /// <param name="spec">"SPI_BUS.CHIP_SELECT,I2C_BUS", e.g. "0.0,1" for /dev/spidev0.0 and /dev/i2c-1.</param>
    public static ArduCamMini2MP Open(string spec, PixelFormat format)
    {
        string[] parts = spec.Split(',');
        string[] spi = parts[0].Split('.');
        if (parts.Length != 2 || spi.Length != 2 || !int.TryParse(spi[0], out int spiBus) || !int.TryParse(spi[1], out int cs) || !int.TryParse(parts[1], out int i2cBus))
            throw new ArgumentException($"--arducam '{spec}': expected SPI_BUS.CHIP_SELECT,I2C_BUS, e.g. 0.0,1");
        if (!File.Exists($"/dev/spidev{spiBus}.{cs}")) throw new FrameSourceException($"no SPI device /dev/spidev{spiBus}.{cs} (enable SPI on the board)");
        if (!File.Exists($"/dev/i2c-{i2cBus}")) throw new FrameSourceException($"no I2C bus /dev/i2c-{i2cBus} (enable I2C on the board)");
        var camera = new ArduCamMini2MP(SystemDeviceI2cBus.Open(i2cBus), SystemDeviceSpiBus.Open(spiBus, cs), new HostClock(), new ArduCamSettings { Format = format });
        camera.Initialize();
        return camera;
    }
}
