using System;

namespace OneBit.Runtime.Frames
{
    /// <summary>
    /// Replays frames stored back to back in a byte array (the host reads a file into it; a device could hold a
    /// few frames for a demo). Either raw frames with the size given by the caller, or a recording container:
    /// <code>
    /// offset size field (little-endian)
    ///  0     4    magic 'OBFR'
    ///  4     2    width
    ///  6     2    height
    ///  8     1    pixel format (1 RGB565 high byte first, 2 Gray8, 3 RGB888)
    ///  9     3    zero
    /// 12     4    frame count
    /// 16     …    frames, each width·height·bytes-per-pixel
    /// </code>
    /// The array is kept (not copied); Capture copies one frame out and allocates nothing.
    /// </summary>
    public sealed class RecordedFrameSource : IFrameSource
    {
        public const int ContainerHeaderSize = 16;
        /// <summary>'OBFR' read as a little-endian u32.</summary>
        public const uint ContainerMagic = 0x5246424Fu;

        private readonly byte[] _data;
        private readonly int _offset;
        private readonly bool _loop;
        private int _next;

        /// <param name="data">Frames back to back from <paramref name="offset"/>; trailing bytes that do not make a whole frame are an error.</param>
        /// <param name="loop">Start again after the last frame; otherwise Capture throws FrameSourceException at the end.</param>
        public RecordedFrameSource(byte[] data, int offset, int width, int height, PixelFormat format, bool loop)
        {
            if (data == null) throw new ArgumentNullException("data");
            int frameBytes = PixelFormats.FrameBytes(width, height, format);
            if (offset < 0 || offset > data.Length) throw new ArgumentException("offset outside the data");
            int length = data.Length - offset;
            if (length == 0 || length % frameBytes != 0)
            {
                throw new ArgumentException("recording has " + length.ToString() + " bytes, not a whole number of " +
                    width.ToString() + "x" + height.ToString() + " " + PixelFormats.Name(format) + " frames of " + frameBytes.ToString() + " bytes");
            }
            _data = data;
            _offset = offset;
            _loop = loop;
            Width = width;
            Height = height;
            Format = format;
            FrameBytes = frameBytes;
            FrameCount = length / frameBytes;
        }

        /// <summary>Opens a recording container (header above).</summary>
        public static RecordedFrameSource FromContainer(byte[] data, bool loop)
        {
            if (data == null) throw new ArgumentNullException("data");
            if (data.Length < ContainerHeaderSize) throw new ArgumentException("recording is shorter than its 16-byte header");
            uint magic = (uint)(data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24));
            if (magic != ContainerMagic) throw new ArgumentException("not a frame recording (magic is not 'OBFR')");
            int width = data[4] | (data[5] << 8);
            int height = data[6] | (data[7] << 8);
            int format = data[8];
            if (format < 1 || format > 3) throw new ArgumentException("unknown pixel format " + format.ToString() + " in recording");
            int count = data[12] | (data[13] << 8) | (data[14] << 16) | (data[15] << 24);
            RecordedFrameSource s = new RecordedFrameSource(data, ContainerHeaderSize, width, height, (PixelFormat)format, loop);
            if (count != s.FrameCount)
            {
                throw new ArgumentException("recording header declares " + count.ToString() + " frames, the data holds " + s.FrameCount.ToString());
            }
            return s;
        }

        /// <summary>Writes the 16-byte container header for <paramref name="frameCount"/> frames into <paramref name="header"/>.</summary>
        public static void WriteContainerHeader(byte[] header, int width, int height, PixelFormat format, int frameCount)
        {
            if (header == null || header.Length < ContainerHeaderSize) throw new ArgumentException("header needs 16 bytes");
            header[0] = (byte)'O'; header[1] = (byte)'B'; header[2] = (byte)'F'; header[3] = (byte)'R';
            header[4] = (byte)width; header[5] = (byte)(width >> 8);
            header[6] = (byte)height; header[7] = (byte)(height >> 8);
            header[8] = (byte)format; header[9] = 0; header[10] = 0; header[11] = 0;
            header[12] = (byte)frameCount; header[13] = (byte)(frameCount >> 8);
            header[14] = (byte)(frameCount >> 16); header[15] = (byte)(frameCount >> 24);
        }

        public int Width { get; private set; }
        public int Height { get; private set; }
        public PixelFormat Format { get; private set; }
        public int FrameBytes { get; private set; }
        public int FrameCount { get; private set; }
        /// <summary>Index of the frame the next Capture returns.</summary>
        public int Position { get { return _next; } }

        public void Rewind()
        {
            _next = 0;
        }

        public void Capture(byte[] buffer)
        {
            if (buffer == null || buffer.Length < FrameBytes) throw new ArgumentException("buffer must hold " + FrameBytes.ToString() + " bytes");
            if (_next >= FrameCount)
            {
                if (!_loop) throw new FrameSourceException("recording ended after " + FrameCount.ToString() + " frames");
                _next = 0;
            }
            Array.Copy(_data, _offset + _next * FrameBytes, buffer, 0, FrameBytes);
            _next++;
        }
    }
}
