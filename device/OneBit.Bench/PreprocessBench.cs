using System;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Firmware;

namespace OneBit.Bench
{
    /// <summary>
    /// The preprocessor's share of a frame on nanoCLR: FramePreprocessor.Process of the camera's default frame (160×120
    /// RGB565, device/OneBit.Camera) into the committed models' inputs (16×16×3 and 32×32×3, area resize, center crop),
    /// as DeviceApp runs it between capture and the network. One line per size and preprocessor, like the other sections of
    /// the bench: the C# one, and on a nanoCLR with OneBit.Native the firmware's C one (DeviceKernelChoice.Preprocessor, as
    /// the apps take it), whose output sum must be the C#'s.
    /// </summary>
    public static class PreprocessBench
    {
        public const int SourceWidth = 160;
        public const int SourceHeight = 120;

        public static void Run(int frames, DeviceKernelChoice choice)
        {
            Measure(16, frames, choice);
            Measure(32, frames, choice);
        }

        private static void Measure(int size, int frames, DeviceKernelChoice choice)
        {
            byte[] frame = new byte[SourceWidth * SourceHeight * 2];
            var pre = new FramePreprocessor(SourceWidth, SourceHeight, PixelFormat.Rgb565, size, size, 3, ResizeMode.Area, true);
            byte[] input = new byte[pre.OutputBytes];
            IFramePreprocessor chosen = choice.Preprocessor(pre, frame, input);
            if (choice.PreprocessorNote != null) Console.WriteLine("preprocess: " + choice.PreprocessorNote);
            for (int i = 0; i < frame.Length; i++) frame[i] = (byte)(i * 37 + (i >> 7));
            Measure(pre, pre, frame, input, frames);
            if ((object)chosen != pre) Measure(pre, chosen, frame, input, frames);
        }

        private static void Measure(FramePreprocessor pre, IFramePreprocessor run, byte[] frame, byte[] input, int frames)
        {
            long best = long.MaxValue;
            for (int f = 0; f < frames; f++)
            {
                long t0 = DateTime.UtcNow.Ticks;
                run.Process(frame, input);
                long t = DateTime.UtcNow.Ticks - t0;
                if (t < best) best = t;
            }
            long hundredths = best / 100;   // 0.01 ms: the C copy takes a small fraction of a millisecond on a PC
            int sum = 0;
            for (int i = 0; i < input.Length; i++) sum += input[i];
            Console.WriteLine("preprocess " + SourceWidth.ToString() + "x" + SourceHeight.ToString() + " rgb565 -> " + pre.OutputHeight.ToString() + "x"
                + pre.OutputWidth.ToString() + "x3 area, crop " + pre.CropWidth.ToString() + "x" + pre.CropHeight.ToString() + ", " + run.Name + ": "
                + (hundredths / 100).ToString() + "." + (hundredths % 100 < 10 ? "0" : "") + (hundredths % 100).ToString() + " ms per frame (min of " + frames.ToString()
                + "; output sum " + sum.ToString() + ")");
        }
    }
}
