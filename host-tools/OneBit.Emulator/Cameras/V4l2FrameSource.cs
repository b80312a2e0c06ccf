using Iot.Device.Media;
using OneBit.Runtime.Frames;

namespace OneBit.Emulator.Cameras;

/// <summary>
/// A V4L2 webcam (/dev/videoN) through Iot.Device.Media.VideoDevice, delivering RGB888 frames to the same
/// preprocessing the device uses. Captures YUYV, which every UVC webcam offers.
/// </summary>
public sealed class V4l2FrameSource : IFrameSource, IDisposable
{
    private readonly VideoDevice _device;

    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format => PixelFormat.Rgb888;
    public int FrameBytes => Width * Height * 3;

    public V4l2FrameSource(int busId, int width, int height)
    {
        string path = $"/dev/video{busId}";
        if (!File.Exists(path)) throw new FrameSourceException($"no camera at {path} (is a V4L2 webcam connected? `ls /dev/video*`)");
        Width = width;
        Height = height;
        try
        {
            _device = VideoDevice.Create(new VideoConnectionSettings(busId, ((uint)width, (uint)height), VideoPixelFormat.YUYV));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new FrameSourceException($"cannot open {path}: {e.Message}");
        }
    }

    public void Capture(byte[] buffer)
    {
        byte[] raw;
        try
        {
            raw = _device.Capture();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            throw new FrameSourceException($"capture from /dev/video{_device.Settings.BusId} failed: {e.Message}");
        }
        if (raw.Length < Width * Height * 2)
            throw new BadFrameException($"the camera delivered {raw.Length} bytes, a {Width}x{Height} YUYV frame has {Width * Height * 2} (unsupported size or format)");
        Yuyv.ToRgb888(raw, Width, Height, buffer);
    }

    public void Dispose() => _device.Dispose();
}
