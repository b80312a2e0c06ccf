using OneBit.Runtime.Frames;

namespace OneBit.Camera
{
    /// <summary>Capture settings of <see cref="ArduCamMini2MP"/>; the defaults suit a 32×32 … 64×64 model.</summary>
    public sealed class ArduCamSettings
    {
        /// <summary>Output width: multiple of 4, at most 400 (default 160, QQVGA).</summary>
        public int Width = 160;
        /// <summary>Output height: multiple of 4, at most 296 (default 120).</summary>
        public int Height = 120;
        /// <summary>Rgb565 (2 bytes per pixel) or Gray8 (Y of YUV422; the FIFO holds 2 bytes per pixel, half are kept).</summary>
        public PixelFormat Format = PixelFormat.Rgb565;
        /// <summary>For Gray8: true if the sensor sends Y first (Y U Y V …), false for U Y V Y ….</summary>
        public bool YuvYFirst = true;
        /// <summary>Give up on a capture when capture-done is not set after this long.</summary>
        public int CaptureTimeoutMs = 1000;
        /// <summary>Sleep between capture-done polls.</summary>
        public int PollIntervalMs = 2;
        /// <summary>FIFO bytes per SPI burst transfer (two buffers of this size are allocated once).</summary>
        public int BurstChunkBytes = 1024;
        /// <summary>Dummy byte after the burst command: 0 on current ArduChip versions, 1 on old ones.</summary>
        public int BurstDummyBytes = 0;
        /// <summary>Extra bytes the FIFO may report beyond W·H·2 (the length counter can run a few bytes past the frame); more is a bad frame.</summary>
        public int FifoSlackBytes = 256;
    }
}
