namespace OneBit.Runtime.Frames
{
    /// <summary>
    /// Byte layouts a frame source can deliver. Frames are row-major, top row first, no row padding.
    /// </summary>
    public enum PixelFormat
    {
        /// <summary>
        /// 2 bytes per pixel, 5-6-5 bits R-G-B, <b>high byte first</b> (big-endian): the order the OV2640 DVP port
        /// emits and the ArduCAM FIFO stores (ArduCAM Mini 2MP sketch reads VH then VL per pixel).
        /// </summary>
        Rgb565 = 1,
        /// <summary>1 byte per pixel, luma 0..255 (the OV2640 YUV422 Y channel).</summary>
        Gray8 = 2,
        /// <summary>3 bytes per pixel, R then G then B.</summary>
        Rgb888 = 3,
    }

    /// <summary>Sizes and names of <see cref="PixelFormat"/> values.</summary>
    public static class PixelFormats
    {
        public static int BytesPerPixel(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgb565: return 2;
                case PixelFormat.Gray8: return 1;
                case PixelFormat.Rgb888: return 3;
                default: throw new System.ArgumentException("unknown pixel format " + ((int)format).ToString());
            }
        }

        public static string Name(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgb565: return "RGB565";
                case PixelFormat.Gray8: return "Gray8";
                case PixelFormat.Rgb888: return "RGB888";
                default: return "format " + ((int)format).ToString();
            }
        }

        /// <summary>Bytes of one frame; throws for non-positive sizes.</summary>
        public static int FrameBytes(int width, int height, PixelFormat format)
        {
            if (width <= 0 || height <= 0) throw new System.ArgumentException("frame size must be positive");
            return width * height * BytesPerPixel(format);
        }
    }
}
