using System;

namespace OneBit.Runtime.Frames
{
    /// <summary>Test patterns of <see cref="SyntheticFrameSource"/>.</summary>
    public enum SyntheticPattern
    {
        /// <summary>R rises left→right, G top→bottom, B = 8·frame mod 256.</summary>
        Gradient = 0,
        /// <summary>Black/white squares of 8 pixels, shifted one pixel right per frame.</summary>
        Checkerboard = 1,
        /// <summary>8 vertical bars: white, yellow, cyan, green, magenta, red, blue, black.</summary>
        ColorBars = 2,
        /// <summary>Seeded xorshift32 noise, a new image every frame.</summary>
        Noise = 3,
    }

    /// <summary>
    /// A deterministic camera stand-in: frame k depends only on (pattern, seed, k, size, format), so runs are
    /// reproducible on host and device. Capture allocates nothing.
    /// </summary>
    public sealed class SyntheticFrameSource : IFrameSource
    {
        private readonly SyntheticPattern _pattern;
        private readonly uint _seed;
        private int _frame;

        public SyntheticFrameSource(int width, int height, PixelFormat format, SyntheticPattern pattern, uint seed)
        {
            FrameBytes = PixelFormats.FrameBytes(width, height, format);
            Width = width;
            Height = height;
            Format = format;
            _pattern = pattern;
            _seed = seed;
        }

        public int Width { get; private set; }
        public int Height { get; private set; }
        public PixelFormat Format { get; private set; }
        public int FrameBytes { get; private set; }
        /// <summary>Index of the next frame Capture renders.</summary>
        public int FrameIndex { get { return _frame; } }

        public void Reset()
        {
            _frame = 0;
        }

        public void Capture(byte[] buffer)
        {
            if (buffer == null || buffer.Length < FrameBytes) throw new ArgumentException("buffer must hold " + FrameBytes.ToString() + " bytes");
            Render(_pattern, _seed, _frame, Width, Height, Format, buffer);
            _frame++;
        }

        /// <summary>Renders frame <paramref name="frameIndex"/> of a pattern into <paramref name="buffer"/>.</summary>
        public static void Render(SyntheticPattern pattern, uint seed, int frameIndex, int width, int height, PixelFormat format, byte[] buffer)
        {
            int bpp = PixelFormats.BytesPerPixel(format);
            uint state = seed ^ ((uint)frameIndex * 0x9E3779B9u);
            if (state == 0) state = 0x6D2B79F5u;
            int o = 0;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int r;
                    int g;
                    int b;
                    switch (pattern)
                    {
                        case SyntheticPattern.Gradient:
                            r = width > 1 ? x * 255 / (width - 1) : 0;
                            g = height > 1 ? y * 255 / (height - 1) : 0;
                            b = (frameIndex * 8) & 255;
                            break;
                        case SyntheticPattern.Checkerboard:
                            int v = ((((x + frameIndex) >> 3) + (y >> 3)) & 1) != 0 ? 255 : 0;
                            r = v;
                            g = v;
                            b = v;
                            break;
                        case SyntheticPattern.ColorBars:
                            int bar = x * 8 / width;
                            r = (bar == 0 || bar == 1 || bar == 4 || bar == 5) ? 255 : 0;
                            g = (bar <= 3) ? 255 : 0;
                            b = (bar == 0 || bar == 2 || bar == 4 || bar == 6) ? 255 : 0;
                            break;
                        default:
                            state ^= state << 13;
                            state ^= state >> 17;
                            state ^= state << 5;
                            r = (int)(state & 255);
                            g = (int)((state >> 8) & 255);
                            b = (int)((state >> 16) & 255);
                            break;
                    }
                    if (bpp == 2)
                    {
                        FramePreprocessor.PutRgb565(buffer, o, r, g, b);
                    }
                    else if (bpp == 1)
                    {
                        buffer[o] = (byte)FramePreprocessor.Luma(r, g, b);
                    }
                    else
                    {
                        buffer[o] = (byte)r;
                        buffer[o + 1] = (byte)g;
                        buffer[o + 2] = (byte)b;
                    }
                    o += bpp;
                }
            }
        }
    }
}
