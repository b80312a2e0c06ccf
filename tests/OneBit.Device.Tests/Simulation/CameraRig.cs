using OneBit.Camera;
using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests.Simulation;

/// <summary>An ArduCAM Mini 2MP driver wired to the simulated sensor, FIFO and clock.</summary>
public sealed class CameraRig
{
    public readonly SimulatedOv2640 Sensor = new();
    public readonly SimulatedArduChip Chip;
    public readonly FakeClock Clock = new();
    public readonly ArduCamSettings Settings;
    public readonly ArduCamMini2MP Camera;

    public CameraRig(int width = 160, int height = 120, PixelFormat format = PixelFormat.Rgb565, Action<ArduCamSettings> configure = null)
    {
        Chip = new SimulatedArduChip(Sensor);
        Settings = new ArduCamSettings { Width = width, Height = height, Format = format };
        configure?.Invoke(Settings);
        Camera = new ArduCamMini2MP(Sensor, Chip, Clock, Settings);
    }

    public byte[] NewBuffer() => new byte[Camera.FrameBytes];
}
