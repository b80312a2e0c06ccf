using System;

namespace OneBit.Runtime.Frames
{
    /// <summary>How the crop is scaled to the model's H×W.</summary>
    public enum ResizeMode
    {
        /// <summary>One source pixel per output pixel: the one under the output pixel's center.</summary>
        Nearest = 0,
        /// <summary>The mean of the source pixels the output pixel covers (box filter; integer boundaries).</summary>
        Area = 1,
    }

    /// <summary>
    /// Turns a camera frame into the model's input bytes (H×W×C, HWC, 0…255, what <c>NetworkRunner.Run</c> takes).
    /// Everything that depends only on sizes (crop, sampling windows) is computed once in the constructor;
    /// <see cref="Process"/> neither allocates nor validates beyond two length checks.
    /// <para>Exact semantics (tests pin them):</para>
    /// <list type="number">
    /// <item>Center crop to the model's aspect ratio: if the source is wider, cropW = floor(srcH·W/H), cropH = srcH;
    ///   else cropW = srcW, cropH = floor(srcW·H/W); cropX = floor((srcW−cropW)/2), cropY likewise.
    ///   With <c>centerCrop = false</c> the whole frame is used (aspect ratio not kept).</item>
    /// <item>Nearest: output x samples source column cropX + floor((2x+1)·cropW / (2W)) (the center), rows likewise.
    ///   Area: output x covers columns [cropX + floor(x·cropW/W), cropX + floor((x+1)·cropW/W)), at least one column.</item>
    /// <item>RGB565 expands by bit replication: r8 = r5·8 + r5/4, g8 = g6·4 + g6/16, b8 = b5·8 + b5/4 (0→0, max→255).</item>
    /// <item>Area means are taken per channel in the source's channel space, rounded half up: floor((2·sum + n)/(2n)).</item>
    /// <item>RGB→gray (model C = 1): (77·R + 150·G + 29·B + 128) >> 8 (ITU-R BT.601 weights ×256; 255,255,255 → 255).
    ///   Gray→RGB (model C = 3): the gray value in all three channels.</item>
    /// </list>
    /// </summary>
    public sealed class FramePreprocessor : IFramePreprocessor
    {
        private readonly PixelFormat _format;
        private readonly int _srcWidth;
        private readonly int _bpp;
        private readonly int _outChannels;
        private readonly int _outWidth;
        private readonly int _outHeight;
        private readonly int[] _x0;
        private readonly int[] _x1;
        private readonly int[] _y0;
        private readonly int[] _y1;

        public FramePreprocessor(int sourceWidth, int sourceHeight, PixelFormat sourceFormat,
            int outputHeight, int outputWidth, int outputChannels, ResizeMode mode, bool centerCrop)
        {
            if (sourceWidth <= 0 || sourceHeight <= 0) throw new ArgumentException("source size must be positive");
            if (outputWidth <= 0 || outputHeight <= 0) throw new ArgumentException("output size must be positive");
            if (outputChannels != 1 && outputChannels != 3) throw new ArgumentException("output channels must be 1 or 3");
            _bpp = PixelFormats.BytesPerPixel(sourceFormat);
            _format = sourceFormat;
            _srcWidth = sourceWidth;
            SourceHeight = sourceHeight;
            _outWidth = outputWidth;
            _outHeight = outputHeight;
            _outChannels = outputChannels;
            Mode = mode;

            int cropW = sourceWidth;
            int cropH = sourceHeight;
            if (centerCrop)
            {
                if ((long)sourceWidth * outputHeight > (long)sourceHeight * outputWidth)
                {
                    cropW = (int)((long)sourceHeight * outputWidth / outputHeight);
                }
                else
                {
                    cropH = (int)((long)sourceWidth * outputHeight / outputWidth);
                }
                if (cropW < 1) cropW = 1;
                if (cropH < 1) cropH = 1;
            }
            CropWidth = cropW;
            CropHeight = cropH;
            CropX = (sourceWidth - cropW) / 2;
            CropY = (sourceHeight - cropH) / 2;

            _x0 = new int[outputWidth];
            _x1 = new int[outputWidth];
            _y0 = new int[outputHeight];
            _y1 = new int[outputHeight];
            Windows(mode, CropX, cropW, outputWidth, _x0, _x1);
            Windows(mode, CropY, cropH, outputHeight, _y0, _y1);
        }

        public int SourceWidth { get { return _srcWidth; } }
        public int SourceHeight { get; private set; }
        public PixelFormat SourceFormat { get { return _format; } }
        public int SourceBytes { get { return _srcWidth * SourceHeight * _bpp; } }
        public int OutputBytes { get { return _outWidth * _outHeight * _outChannels; } }
        public ResizeMode Mode { get; private set; }
        public int CropX { get; private set; }
        public int CropY { get; private set; }
        public int CropWidth { get; private set; }
        public int CropHeight { get; private set; }
        public int OutputHeight { get { return _outHeight; } }
        public int OutputWidth { get { return _outWidth; } }
        public int OutputChannels { get { return _outChannels; } }

        /// <summary>This class runs the preprocessing in C# (<see cref="IFramePreprocessor"/>).</summary>
        public string Name { get { return "C#"; } }

        /// <summary>Output column x samples source columns [WindowX0[x], WindowX1[x]) (the arrays themselves, for the
        /// native preprocessor: native/onebit_kernels/src/frame.c).</summary>
        public int[] WindowX0 { get { return _x0; } }
        public int[] WindowX1 { get { return _x1; } }
        /// <summary>Output row y samples source rows [WindowY0[y], WindowY1[y]).</summary>
        public int[] WindowY0 { get { return _y0; } }
        public int[] WindowY1 { get { return _y1; } }

        private static void Windows(ResizeMode mode, int start, int crop, int outSize, int[] from, int[] to)
        {
            for (int i = 0; i < outSize; i++)
            {
                int a;
                int b;
                if (mode == ResizeMode.Nearest)
                {
                    a = start + (int)((2L * i + 1) * crop / (2L * outSize));
                    b = a + 1;
                }
                else
                {
                    a = start + (int)((long)i * crop / outSize);
                    b = start + (int)((long)(i + 1) * crop / outSize);
                    if (b <= a) b = a + 1;
                }
                from[i] = a;
                to[i] = b;
            }
        }

        /// <summary>
        /// Converts <paramref name="frame"/> (SourceBytes, read only) into <paramref name="input"/> (OutputBytes,
        /// overwritten). Both buffers are the caller's; nothing is kept.
        /// </summary>
        public void Process(byte[] frame, byte[] input)
        {
            if (frame == null || frame.Length < SourceBytes) throw new ArgumentException("frame must hold " + SourceBytes.ToString() + " bytes");
            if (input == null || input.Length < OutputBytes) throw new ArgumentException("input must hold " + OutputBytes.ToString() + " bytes");
            int stride = _srcWidth * _bpp;
            int o = 0;
            for (int oy = 0; oy < _outHeight; oy++)
            {
                int ya = _y0[oy];
                int yb = _y1[oy];
                for (int ox = 0; ox < _outWidth; ox++)
                {
                    int xa = _x0[ox];
                    int xb = _x1[ox];
                    int n = (yb - ya) * (xb - xa);
                    int sr = 0;
                    int sg = 0;
                    int sb = 0;
                    if (_format == PixelFormat.Gray8)
                    {
                        for (int y = ya; y < yb; y++)
                        {
                            int p = y * stride + xa;
                            for (int x = xa; x < xb; x++) sg += frame[p++];
                        }
                        int gray = (2 * sg + n) / (2 * n);
                        if (_outChannels == 1)
                        {
                            input[o++] = (byte)gray;
                        }
                        else
                        {
                            input[o++] = (byte)gray;
                            input[o++] = (byte)gray;
                            input[o++] = (byte)gray;
                        }
                        continue;
                    }
                    if (_format == PixelFormat.Rgb565)
                    {
                        for (int y = ya; y < yb; y++)
                        {
                            int p = y * stride + 2 * xa;
                            for (int x = xa; x < xb; x++)
                            {
                                int v = (frame[p] << 8) | frame[p + 1];
                                p += 2;
                                int r5 = v >> 11;
                                int g6 = (v >> 5) & 63;
                                int b5 = v & 31;
                                sr += (r5 << 3) | (r5 >> 2);
                                sg += (g6 << 2) | (g6 >> 4);
                                sb += (b5 << 3) | (b5 >> 2);
                            }
                        }
                    }
                    else
                    {
                        for (int y = ya; y < yb; y++)
                        {
                            int p = y * stride + 3 * xa;
                            for (int x = xa; x < xb; x++)
                            {
                                sr += frame[p];
                                sg += frame[p + 1];
                                sb += frame[p + 2];
                                p += 3;
                            }
                        }
                    }
                    int r = (2 * sr + n) / (2 * n);
                    int g = (2 * sg + n) / (2 * n);
                    int b = (2 * sb + n) / (2 * n);
                    if (_outChannels == 3)
                    {
                        input[o++] = (byte)r;
                        input[o++] = (byte)g;
                        input[o++] = (byte)b;
                    }
                    else
                    {
                        input[o++] = (byte)((77 * r + 150 * g + 29 * b + 128) >> 8);
                    }
                }
            }
        }

        /// <summary>RGB → gray exactly as <see cref="Process"/> does it.</summary>
        public static int Luma(int r, int g, int b)
        {
            return (77 * r + 150 * g + 29 * b + 128) >> 8;
        }

        /// <summary>Packs 8-bit RGB into RGB565 (truncating), high byte first, at <paramref name="at"/>.</summary>
        public static void PutRgb565(byte[] buffer, int at, int r, int g, int b)
        {
            int v = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
            buffer[at] = (byte)(v >> 8);
            buffer[at + 1] = (byte)v;
        }
    }
}
