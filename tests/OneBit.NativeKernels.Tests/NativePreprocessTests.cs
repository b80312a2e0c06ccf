using OneBit.Runtime.Frames;

namespace OneBit.NativeKernels.Tests;

/// <summary>
/// The C preprocessor (native/onebit_kernels/src/frame.c) against FramePreprocessor.Process, byte for byte: every pixel
/// format, gray and RGB models, nearest and area sampling, center crop on and off, downscales, upscales and odd sizes,
/// on seeded random frames; then its checks (a short buffer or a window outside the frame is rejected before any write).
/// </summary>
public class NativePreprocessTests
{
    public static TheoryData<int, int, int, int, int, int, int, bool, int> Cases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, bool, int>();
        int seed = 1;
        foreach (PixelFormat format in new[] { PixelFormat.Rgb565, PixelFormat.Gray8, PixelFormat.Rgb888 })
        foreach (int channels in new[] { 1, 3 })
        foreach (ResizeMode mode in new[] { ResizeMode.Area, ResizeMode.Nearest })
        foreach (bool crop in new[] { true, false })
        {
            data.Add((int)format, 160, 120, 32, 32, channels, (int)mode, crop, seed++);   // the camera frame, CIFAR-size input
            data.Add((int)format, 160, 120, 16, 16, channels, (int)mode, crop, seed++);
            data.Add((int)format, 33, 17, 5, 7, channels, (int)mode, crop, seed++);       // odd sizes, uneven windows
            data.Add((int)format, 7, 5, 16, 12, channels, (int)mode, crop, seed++);       // upscale: one-pixel windows
        }
        return data;
    }

    private static byte[] RandomFrame(FramePreprocessor pre, int seed)
    {
        var frame = new byte[pre.SourceBytes];
        new Random(seed).NextBytes(frame);
        return frame;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheCSharpPreprocessor(int format, int srcW, int srcH, int outH, int outW, int channels, int mode, bool crop, int seed)
    {
        var pre = new FramePreprocessor(srcW, srcH, (PixelFormat)format, outH, outW, channels, (ResizeMode)mode, crop);
        byte[] frame = RandomFrame(pre, seed);
        var expected = new byte[pre.OutputBytes];
        pre.Process(frame, expected);
        var actual = new byte[pre.OutputBytes];
        Array.Fill(actual, (byte)0xA5);
        NativeFramePreprocessor.Process(pre, frame, actual);
        Assert.Equal(expected, actual);
        Assert.Contains(expected, b => b != expected[0]);   // a random frame gives more than one value
    }

    [Fact]
    public void ExtremeFramesMatch()
    {
        foreach (byte fill in new byte[] { 0, 255 })
        {
            var pre = new FramePreprocessor(160, 120, PixelFormat.Rgb565, 32, 32, 3, ResizeMode.Area, true);
            var frame = Enumerable.Repeat(fill, pre.SourceBytes).ToArray();
            var expected = new byte[pre.OutputBytes];
            var actual = new byte[pre.OutputBytes];
            pre.Process(frame, expected);
            NativeFramePreprocessor.Process(pre, frame, actual);
            Assert.Equal(expected, actual);
            Assert.All(actual, b => Assert.Equal(fill, b));   // bit replication maps 0 and all-ones to 0 and 255
        }
    }

    [Fact]
    public void ShortBuffersAndBadWindowsAreRejectedBeforeAnyWrite()
    {
        var pre = new FramePreprocessor(160, 120, PixelFormat.Rgb565, 16, 16, 3, ResizeMode.Area, true);
        byte[] frame = RandomFrame(pre, 7);
        var input = Enumerable.Repeat((byte)0x5A, pre.OutputBytes).ToArray();

        var e = Assert.Throws<ArgumentException>(() => NativeFramePreprocessor.Process(pre, frame[..^1], input));
        Assert.Contains("shorter", e.Message);
        e = Assert.Throws<ArgumentException>(() => NativeFramePreprocessor.Process(pre, frame, input[..^1]));
        Assert.Contains("shorter", e.Message);
        Assert.Throws<ArgumentException>(() => NativeFramePreprocessor.Process(pre, null!, input));

        int saved = pre.WindowX1[3];
        pre.WindowX1[3] = pre.SourceWidth + 1;   // a window past the frame's right edge
        try
        {
            e = Assert.Throws<ArgumentException>(() => NativeFramePreprocessor.Process(pre, frame, input));
            Assert.Contains("outside the contract", e.Message);
        }
        finally
        {
            pre.WindowX1[3] = saved;
        }
        Assert.All(input, b => Assert.Equal(0x5A, b));
    }
}
