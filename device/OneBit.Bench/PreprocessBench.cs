using System;
using OneBit.Runtime.Frames;

namespace OneBit.Bench
{
    /// <summary>
    /// The preprocessor's share of a frame on nanoCLR: FramePreprocessor.Process of the camera's default frame (160×120
    /// RGB565, device/OneBit.Camera) into the committed models' inputs (16×16×3 and 32×32×3, area resize, center crop),
    /// as DeviceApp runs it between capture and the network. One line per size, like the other sections of the bench.
    /// </summary>
    public static class PreprocessBench
    {
        public const int SourceWidth = 160;
        public const int SourceHeight = 120;

        public static void Run(int frames)
        {
            byte[] frame = new byte[SourceWidth * SourceHeight * 2];
            for (int i = 0; i < frame.Length; i++) frame[i] = (byte)(i * 37 + (i >> 7));
            Measure(frame, 16, frames);
            Measure(frame, 32, frames);
        }

        private static void Measure(byte[] frame, int size, int frames)
        {
            var pre = new FramePreprocessor(SourceWidth, SourceHeight, PixelFormat.Rgb565, size, size, 3, ResizeMode.Area, true);
            byte[] input = new byte[pre.OutputBytes];
            long best = long.MaxValue;
            for (int f = 0; f < frames; f++)
            {
                long t0 = DateTime.UtcNow.Ticks;
                pre.Process(frame, input);
                long t = DateTime.UtcNow.Ticks - t0;
                if (t < best) best = t;
            }
            long tenths = best / 1000;   // 0.1 ms
            int sum = 0;
            for (int i = 0; i < input.Length; i++) sum += input[i];
            Console.WriteLine("preprocess " + SourceWidth.ToString() + "x" + SourceHeight.ToString() + " rgb565 -> " + size.ToString() + "x"
                + size.ToString() + "x3 area, crop " + pre.CropWidth.ToString() + "x" + pre.CropHeight.ToString() + ": "
                + (tenths / 10).ToString() + "." + (tenths % 10).ToString() + " ms per frame (min of " + frames.ToString()
                + "; output sum " + sum.ToString() + ")");
        }
    }
}
