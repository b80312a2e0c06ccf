using OneBit.Runtime.Frames;

namespace OneBit.Device.Tests;

/// <summary>The synthetic and recorded frame sources.</summary>
public class SourceTests
{
    [Theory]
    [InlineData(SyntheticPattern.Gradient)]
    [InlineData(SyntheticPattern.Checkerboard)]
    [InlineData(SyntheticPattern.ColorBars)]
    [InlineData(SyntheticPattern.Noise)]
    public void SyntheticFramesAreDeterministic(SyntheticPattern pattern)
    {
        var a = new SyntheticFrameSource(40, 30, PixelFormat.Rgb565, pattern, 42);
        var b = new SyntheticFrameSource(40, 30, PixelFormat.Rgb565, pattern, 42);
        var fa = new byte[a.FrameBytes];
        var fb = new byte[b.FrameBytes];
        var first = new byte[a.FrameBytes];
        for (int i = 0; i < 4; i++)
        {
            a.Capture(fa);
            b.Capture(fb);
            Assert.Equal(fa, fb);
            if (i == 0) fa.CopyTo(first, 0);
        }
        Assert.Equal(4, a.FrameIndex);
        a.Reset();
        a.Capture(fa);
        Assert.Equal(first, fa);
        var still = new byte[a.FrameBytes];
        SyntheticFrameSource.Render(pattern, 42, 0, 40, 30, PixelFormat.Rgb565, still);
        Assert.Equal(first, still);
    }

    [Fact]
    public void NoiseDependsOnSeedAndFrame()
    {
        byte[] F(uint seed, int frame)
        {
            var b = new byte[32 * 32 * 3];
            SyntheticFrameSource.Render(SyntheticPattern.Noise, seed, frame, 32, 32, PixelFormat.Rgb888, b);
            return b;
        }
        Assert.NotEqual(F(1, 0), F(2, 0));
        Assert.NotEqual(F(1, 0), F(1, 1));
        Assert.Equal(F(7, 3), F(7, 3));
    }

    [Fact]
    public void PatternsHaveTheirDocumentedValues()
    {
        var rgb = new byte[16 * 2 * 3];
        SyntheticFrameSource.Render(SyntheticPattern.ColorBars, 0, 0, 16, 2, PixelFormat.Rgb888, rgb);
        Assert.Equal(new byte[] { 255, 255, 255 }, rgb[0..3]);            // white
        Assert.Equal(new byte[] { 255, 255, 0 }, rgb[6..9]);              // yellow (bar 1 at x = 2)
        Assert.Equal(new byte[] { 0, 0, 0 }, rgb[(15 * 3)..(16 * 3)]);    // black

        var grad = new byte[5 * 5 * 3];
        SyntheticFrameSource.Render(SyntheticPattern.Gradient, 0, 2, 5, 5, PixelFormat.Rgb888, grad);
        Assert.Equal(new byte[] { 255, 255, 16 }, grad[^3..]);            // bottom right, frame 2: B = 16

        var gray = new byte[16 * 16];
        SyntheticFrameSource.Render(SyntheticPattern.Checkerboard, 0, 1, 16, 16, PixelFormat.Gray8, gray);
        Assert.Equal(0, gray[0]);        // x + 1 = 1 → cell 0
        Assert.Equal(255, gray[7]);      // x + 1 = 8 → cell 1
    }

    [Fact]
    public void FormatsEncodeTheSameImage()
    {
        var rgb = new byte[24 * 8 * 3];
        var gray = new byte[24 * 8];
        var r565 = new byte[24 * 8 * 2];
        SyntheticFrameSource.Render(SyntheticPattern.Noise, 5, 0, 24, 8, PixelFormat.Rgb888, rgb);
        SyntheticFrameSource.Render(SyntheticPattern.Noise, 5, 0, 24, 8, PixelFormat.Gray8, gray);
        SyntheticFrameSource.Render(SyntheticPattern.Noise, 5, 0, 24, 8, PixelFormat.Rgb565, r565);
        for (int i = 0; i < gray.Length; i++)
        {
            Assert.Equal(FramePreprocessor.Luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]), gray[i]);
            int v = (r565[2 * i] << 8) | r565[2 * i + 1];
            Assert.Equal(rgb[3 * i] >> 3, v >> 11);
            Assert.Equal(rgb[3 * i + 1] >> 2, (v >> 5) & 63);
            Assert.Equal(rgb[3 * i + 2] >> 3, v & 31);
        }
    }

    [Fact]
    public void RecordedFramesReplayInOrderAndEnd()
    {
        var data = new byte[3 * 12];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)i;
        var s = new RecordedFrameSource(data, 0, 4, 3, PixelFormat.Gray8, loop: false);
        Assert.Equal(3, s.FrameCount);
        var f = new byte[12];
        for (int k = 0; k < 3; k++)
        {
            s.Capture(f);
            Assert.Equal(data.Skip(12 * k).Take(12), f);
        }
        var e = Assert.Throws<FrameSourceException>(() => s.Capture(f));
        Assert.Contains("ended after 3 frames", e.Message);
        s.Rewind();
        s.Capture(f);
        Assert.Equal(data.Take(12), f);
    }

    [Fact]
    public void LoopingRecordingsWrapAround()
    {
        var data = new byte[2 * 6];
        new Random(3).NextBytes(data);
        var s = new RecordedFrameSource(data, 0, 1, 3, PixelFormat.Rgb565, loop: true);
        var f = new byte[6];
        for (int k = 0; k < 5; k++)
        {
            s.Capture(f);
            Assert.Equal(data.Skip(6 * (k % 2)).Take(6), f);
        }
    }

    [Fact]
    public void ContainerRoundTrip()
    {
        var frames = new byte[2 * 8 * 4 * 3];
        new Random(4).NextBytes(frames);
        var file = new byte[RecordedFrameSource.ContainerHeaderSize + frames.Length];
        RecordedFrameSource.WriteContainerHeader(file, 8, 4, PixelFormat.Rgb888, 2);
        frames.CopyTo(file, RecordedFrameSource.ContainerHeaderSize);
        var s = RecordedFrameSource.FromContainer(file, loop: false);
        Assert.Equal((8, 4, PixelFormat.Rgb888, 2), (s.Width, s.Height, s.Format, s.FrameCount));
        var f = new byte[s.FrameBytes];
        s.Capture(f);
        s.Capture(f);
        Assert.Equal(frames.Skip(96), f);
        Assert.Equal((byte)'O', file[0]);
    }

    [Fact]
    public void MalformedRecordingsAreRejectedAtOpen()
    {
        Assert.Throws<ArgumentException>(() => new RecordedFrameSource(new byte[13], 0, 4, 3, PixelFormat.Gray8, false));
        Assert.Throws<ArgumentException>(() => new RecordedFrameSource(new byte[0], 0, 4, 3, PixelFormat.Gray8, false));
        var file = new byte[RecordedFrameSource.ContainerHeaderSize + 12];
        RecordedFrameSource.WriteContainerHeader(file, 4, 3, PixelFormat.Gray8, 2);   // declares 2, holds 1
        Assert.Contains("declares 2", Assert.Throws<ArgumentException>(() => RecordedFrameSource.FromContainer(file, false)).Message);
        file[0] = (byte)'X';
        Assert.Contains("OBFR", Assert.Throws<ArgumentException>(() => RecordedFrameSource.FromContainer(file, false)).Message);
    }

    [Fact]
    public void SourcesAllocateNothingPerFrame()
    {
        var syn = new SyntheticFrameSource(160, 120, PixelFormat.Rgb565, SyntheticPattern.Noise, 1);
        var rec = new RecordedFrameSource(new byte[4 * 160 * 120 * 2], 0, 160, 120, PixelFormat.Rgb565, loop: true);
        var f = new byte[syn.FrameBytes];
        syn.Capture(f);
        rec.Capture(f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) { syn.Capture(f); rec.Capture(f); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
