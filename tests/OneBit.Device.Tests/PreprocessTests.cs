using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests;

/// <summary>FramePreprocessor pinned on hand-computed patterns and against an independent implementation.</summary>
public class PreprocessTests
{
    private static byte[] Rgb565(params int[] pixels)
    {
        var b = new byte[pixels.Length * 2];
        for (int i = 0; i < pixels.Length; i++) { b[2 * i] = (byte)(pixels[i] >> 8); b[2 * i + 1] = (byte)pixels[i]; }
        return b;
    }

    private static byte[] Run(byte[] frame, int w, int h, PixelFormat f, int oh, int ow, int oc, ResizeMode mode, bool crop = true)
    {
        var p = new FramePreprocessor(w, h, f, oh, ow, oc, mode, crop);
        var input = new byte[p.OutputBytes];
        p.Process(frame, input);
        return input;
    }

    [Theory]
    [InlineData(160, 120, 32, 32, 120, 120, 20, 0)]
    [InlineData(160, 120, 24, 32, 160, 120, 0, 0)]
    [InlineData(120, 160, 32, 32, 120, 120, 0, 20)]
    [InlineData(160, 120, 16, 48, 160, 53, 0, 33)]
    [InlineData(7, 5, 3, 3, 5, 5, 1, 0)]
    public void CenterCropKeepsTheModelAspectRatio(int w, int h, int oh, int ow, int cw, int ch, int cx, int cy)
    {
        var p = new FramePreprocessor(w, h, PixelFormat.Gray8, oh, ow, 1, ResizeMode.Area, true);
        Assert.Equal((cw, ch, cx, cy), (p.CropWidth, p.CropHeight, p.CropX, p.CropY));
    }

    [Fact]
    public void AreaMeanRoundsHalfUp()
    {
        // 4x2 gray; the centered 2x2 crop is columns 1..2.
        byte[] frame = { 0, 10, 21, 90, 99, 50, 61, 99 };
        Assert.Equal(new byte[] { 36 }, Run(frame, 4, 2, PixelFormat.Gray8, 1, 1, 1, ResizeMode.Area));   // 142/4 = 35.5 -> 36
        frame[2] = 20;
        Assert.Equal(new byte[] { 35 }, Run(frame, 4, 2, PixelFormat.Gray8, 1, 1, 1, ResizeMode.Area));   // 141/4 = 35.25 -> 35
    }

    [Fact]
    public void NearestPicksTheSourcePixelUnderTheCenter()
    {
        // 8x1 gray ramp -> 1x4 without crop: centers at (2x+1)*8/8 = 1, 3, 5, 7.
        byte[] frame = { 0, 1, 2, 3, 4, 5, 6, 7 };
        Assert.Equal(new byte[] { 1, 3, 5, 7 }, Run(frame, 8, 1, PixelFormat.Gray8, 1, 4, 1, ResizeMode.Nearest, crop: false));
        // 160x120 -> 32x32: crop 120x120 at x=20; column 0 samples 20 + 1*120/64 = 21, row 0 samples 0 + 1.
        var big = new byte[160 * 120];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)(i % 251);
        byte[] o = Run(big, 160, 120, PixelFormat.Gray8, 32, 32, 1, ResizeMode.Nearest);
        Assert.Equal(big[1 * 160 + 21], o[0]);
        Assert.Equal(big[(20 + 41 * 120 / 64) + (41 * 120 / 64) * 160], o[20 * 32 + 20]);
    }

    [Fact]
    public void Rgb565ExpandsByBitReplicationHighByteFirst()
    {
        byte[] frame = Rgb565(0xF800, 0x07E0, 0x001F, 0xFFFF, 0x0000, 0x0841);
        byte[] o = Run(frame, 6, 1, PixelFormat.Rgb565, 1, 6, 3, ResizeMode.Nearest, crop: false);
        Assert.Equal(new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 8, 8, 8 }, o);
    }

    [Fact]
    public void RgbToGrayUsesBt601IntegerWeights()
    {
        byte[] frame = { 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30 };
        byte[] o = Run(frame, 5, 1, PixelFormat.Rgb888, 1, 5, 1, ResizeMode.Nearest, crop: false);
        Assert.Equal(new byte[] { 77, 149, 29, 255, (77 * 10 + 150 * 20 + 29 * 30 + 128) >> 8 }, o);
        Assert.Equal(77, FramePreprocessor.Luma(255, 0, 0));
    }

    [Fact]
    public void GrayIsReplicatedIntoThreeChannels()
    {
        byte[] o = Run(new byte[] { 7, 200 }, 2, 1, PixelFormat.Gray8, 1, 2, 3, ResizeMode.Area, crop: false);
        Assert.Equal(new byte[] { 7, 7, 7, 200, 200, 200 }, o);
    }

    [Fact]
    public void SameSizeRgb888IsTheIdentity()
    {
        var frame = new byte[32 * 32 * 3];
        new Random(1).NextBytes(frame);
        Assert.Equal(frame, Run(frame, 32, 32, PixelFormat.Rgb888, 32, 32, 3, ResizeMode.Area));
        Assert.Equal(frame, Run(frame, 32, 32, PixelFormat.Rgb888, 32, 32, 3, ResizeMode.Nearest));
    }

    [Fact]
    public void AHalvedOnePixelCheckerboardIsMidGray()
    {
        var frame = new byte[8 * 8];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) frame[y * 8 + x] = (byte)(((x + y) & 1) * 255);
        byte[] o = Run(frame, 8, 8, PixelFormat.Gray8, 4, 4, 1, ResizeMode.Area);
        Assert.All(o, v => Assert.Equal(128, v));   // 510/4 = 127.5 -> 128
    }

    [Fact]
    public void UpscalingRepeatsPixels()
    {
        byte[] o = Run(new byte[] { 1, 2, 3, 4 }, 2, 2, PixelFormat.Gray8, 4, 4, 1, ResizeMode.Area);
        Assert.Equal(new byte[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, o);
    }

    /// <summary>An independent, obviously-correct version of the documented semantics.</summary>
    private static byte[] Oracle(byte[] frame, int w, int h, PixelFormat f, int oh, int ow, int oc, ResizeMode mode)
    {
        int cw = w, ch = h;
        if ((long)w * oh > (long)h * ow) cw = h * ow / oh; else ch = w * oh / ow;
        int cx = (w - cw) / 2, cy = (h - ch) / 2;
        (int, int, int) Pixel(int x, int y)
        {
            switch (f)
            {
                case PixelFormat.Gray8: int g = frame[y * w + x]; return (g, g, g);
                case PixelFormat.Rgb888: int i = 3 * (y * w + x); return (frame[i], frame[i + 1], frame[i + 2]);
                default:
                    int j = 2 * (y * w + x); int v = frame[j] * 256 + frame[j + 1];
                    int r = v >> 11, gg = (v >> 5) & 63, b = v & 31;
                    return (r * 8 + r / 4, gg * 4 + gg / 16, b * 8 + b / 4);   // bit replication, as documented
            }
        }
        var o = new List<byte>();
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                var cells = new List<(int, int, int)>();
                if (mode == ResizeMode.Nearest)
                {
                    cells.Add(Pixel(cx + (int)Math.Floor((x + 0.5) * cw / ow), cy + (int)Math.Floor((y + 0.5) * ch / oh)));
                }
                else
                {
                    int x0 = cx + x * cw / ow, x1 = Math.Max(x0 + 1, cx + (x + 1) * cw / ow);
                    int y0 = cy + y * ch / oh, y1 = Math.Max(y0 + 1, cy + (y + 1) * ch / oh);
                    for (int yy = y0; yy < y1; yy++) for (int xx = x0; xx < x1; xx++) cells.Add(Pixel(xx, yy));
                }
                int Mean(Func<(int, int, int), int> c) => (int)Math.Floor(cells.Average(p => (double)c(p)) + 0.5);
                int mr = Mean(p => p.Item1), mg = Mean(p => p.Item2), mb = Mean(p => p.Item3);
                if (oc == 3) { o.Add((byte)mr); o.Add((byte)mg); o.Add((byte)mb); }
                else o.Add((byte)(f == PixelFormat.Gray8 ? mg : (77 * mr + 150 * mg + 29 * mb + 128) >> 8));
            }
        }
        return o.ToArray();
    }

    public static IEnumerable<object[]> Sweep()
    {
        foreach (PixelFormat f in new[] { PixelFormat.Gray8, PixelFormat.Rgb565, PixelFormat.Rgb888 })
        foreach (var (w, h, oh, ow) in new[] { (160, 120, 32, 32), (64, 48, 28, 28), (33, 17, 5, 9), (20, 20, 30, 30), (160, 120, 24, 32) })
        foreach (int oc in new[] { 1, 3 })
        foreach (ResizeMode m in new[] { ResizeMode.Nearest, ResizeMode.Area })
            yield return new object[] { f, w, h, oh, ow, oc, m };
    }

    [Theory]
    [MemberData(nameof(Sweep))]
    public void MatchesTheIndependentImplementation(PixelFormat f, int w, int h, int oh, int ow, int oc, ResizeMode mode)
    {
        var frame = new byte[PixelFormats.FrameBytes(w, h, f)];
        new Random(w * 31 + h + (int)f).NextBytes(frame);
        Assert.Equal(Oracle(frame, w, h, f, oh, ow, oc, mode), Run(frame, w, h, f, oh, ow, oc, mode));
    }

    [Fact]
    public void ProcessAllocatesNothing()
    {
        var p = new FramePreprocessor(160, 120, PixelFormat.Rgb565, 32, 32, 3, ResizeMode.Area, true);
        var frame = new byte[p.SourceBytes];
        var input = new byte[p.OutputBytes];
        p.Process(frame, input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) p.Process(frame, input);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        var p = new FramePreprocessor(16, 16, PixelFormat.Gray8, 8, 8, 1, ResizeMode.Area, true);
        Assert.Throws<ArgumentException>(() => p.Process(new byte[255], new byte[64]));
        Assert.Throws<ArgumentException>(() => p.Process(new byte[256], new byte[63]));
        Assert.Throws<ArgumentException>(() => new FramePreprocessor(16, 16, PixelFormat.Gray8, 8, 8, 2, ResizeMode.Area, true));
    }
}
