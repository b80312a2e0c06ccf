namespace OneBit.Emulator.Cameras;

/// <summary>
/// YUYV 4:2:2 (V4L2_PIX_FMT_YUYV: Y0 U Y1 V per pixel pair) to RGB888 with the integer BT.601 limited-range
/// formulas (ITU-R BT.601; the fixed-point form of the V4L2 documentation's "YUV to RGB" section).
/// </summary>
public static class Yuyv
{
    public static void ToRgb888(ReadOnlySpan<byte> yuyv, int width, int height, Span<byte> rgb)
    {
        if (width % 2 != 0) throw new ArgumentException("YUYV needs an even width");
        if (yuyv.Length < width * height * 2) throw new ArgumentException($"a {width}x{height} YUYV frame needs {width * height * 2} bytes, got {yuyv.Length}");
        for (int i = 0, o = 0; i < width * height * 2; i += 4, o += 6)
        {
            int u = yuyv[i + 1] - 128, v = yuyv[i + 3] - 128;
            Put(yuyv[i], u, v, rgb.Slice(o, 3));
            Put(yuyv[i + 2], u, v, rgb.Slice(o + 3, 3));
        }
    }

    private static void Put(int y, int u, int v, Span<byte> px)
    {
        int c = 298 * (y - 16);
        px[0] = Clamp((c + 409 * v + 128) >> 8);
        px[1] = Clamp((c - 100 * u - 208 * v + 128) >> 8);
        px[2] = Clamp((c + 516 * u + 128) >> 8);
    }

    private static byte Clamp(int x) => (byte)Math.Clamp(x, 0, 255);
}
