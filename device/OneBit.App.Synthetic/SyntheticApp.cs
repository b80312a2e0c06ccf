using System;
using System.Threading;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Model;

namespace OneBit.App.Synthetic
{
    /// <summary>
    /// Load the blob, run its self-test, then classify synthetic frames (gradient, checkerboard, colour bars, noise in
    /// turn) and print one line per frame. Uses only the portable core and System.Console, so it runs on a bare board.
    /// It runs what the camera app runs: the runner and kernels of the device memory plan.
    /// </summary>
    public sealed class SyntheticApp
    {
        private const int FrameWidth = 64;
        private const int FrameHeight = 48;

        private readonly byte[] _blob;
        private readonly string _description;
        private readonly int _frames;
        private readonly long _budgetBytes;

        /// <param name="blob">The model blob, or null when the build carried none.</param>
        /// <param name="description">Where the blob came from (for the start-up line).</param>
        /// <param name="frames">Frames to classify; 0 or less runs forever.</param>
        /// <param name="budgetBytes">Heap the model may take (the camera app's MemoryBudgetBytes; its default is
        /// DeviceMemoryPlan.PsramBudgetBytes).</param>
        public SyntheticApp(byte[] blob, string description, int frames, long budgetBytes)
        {
            _blob = blob;
            _description = description;
            _frames = frames;
            _budgetBytes = budgetBytes;
        }

        /// <summary>Returns the number of frames classified (only when <c>frames</c> &gt; 0, or on a fatal start-up error).</summary>
        public int Run()
        {
            Console.WriteLine("OneBit synthetic-frame app");
            if (_blob == null)
            {
                Console.WriteLine("model: " + _description);
                return 0;
            }
            Network net;
            try
            {
                net = BlobReader.Read(_blob);
            }
            catch (BlobFormatException e)
            {
                Console.WriteLine("model rejected: " + e.Message);
                return 0;
            }
            Console.WriteLine("model: '" + net.Name + "' " + _blob.Length.ToString() + " bytes (" + _description + "), " +
                net.InputHeight.ToString() + "x" + net.InputWidth.ToString() + "x" + net.InputChannels.ToString() + " -> " +
                net.ClassCount.ToString() + " classes");
            // What the camera app runs with its default options: the firmware's native kernels when it carries their
            // library, else the tuned ones, with the device memory plan's runner.
            DeviceKernelChoice kernels = DeviceKernelChoice.Probe();
            IFrameClassifier runner = Build(net, kernels);
            if (runner == null) return 0;
            string failure = Check(runner);
            if (failure != null && kernels.Native)
            {
                Console.WriteLine("self-test FAILED with the native kernels: " + failure);
                kernels = DeviceKernelChoice.AfterFailedSelfTest(failure);
                runner = Build(net, kernels);
                if (runner == null) return 0;
                failure = Check(runner);
            }
            if (failure != null)
            {
                Console.WriteLine("self-test FAILED: " + failure);
                return 0;
            }
            Console.WriteLine("self-test: " + net.TestVectors.Length.ToString() + " test vectors passed");

            byte[] frame = new byte[PixelFormats.FrameBytes(FrameWidth, FrameHeight, PixelFormat.Rgb565)];
            byte[] input = new byte[net.InputBytes];
            // the firmware's C preprocessor with its C kernels, else the C# one
            IFramePreprocessor pre = kernels.Preprocessor(new FramePreprocessor(FrameWidth, FrameHeight, PixelFormat.Rgb565,
                net.InputHeight, net.InputWidth, net.InputChannels, ResizeMode.Area, true), frame, input);
            Console.WriteLine("preprocessor: " + pre.Name + (kernels.PreprocessorNote != null ? " (" + kernels.PreprocessorNote + ")" : ""));
            int done = 0;
            for (int i = 0; _frames <= 0 || i < _frames; i++)
            {
                SyntheticPattern pattern = (SyntheticPattern)(i % 4);
                SyntheticFrameSource.Render(pattern, 1u, i, FrameWidth, FrameHeight, PixelFormat.Rgb565, frame);
                long t0 = DateTime.UtcNow.Ticks;
                pre.Process(frame, input);
                int cls = runner.Run(input);
                long ms = (DateTime.UtcNow.Ticks - t0) / 10000;
                Console.WriteLine("frame " + i.ToString() + " (" + PatternName(pattern) + "): class " + cls.ToString() + " '" +
                    net.ClassNames[cls] + "' score " + runner.Logits[cls].ToString() + " | " + ms.ToString() + " ms");
                done++;
                if (_frames <= 0) Thread.Sleep(10);
            }
            return done;
        }

        /// <summary>The device memory plan's runner with <paramref name="kernels"/>, after the start-up line; null (after
        /// the refusal) when the model does not fit.</summary>
        private IFrameClassifier Build(Network net, DeviceKernelChoice kernels)
        {
            DeviceMemoryPlan plan = DeviceMemoryPlan.For(net, _budgetBytes, kernels.Kernels, true);
            if (!plan.Fits)
            {
                Console.WriteLine(plan.Refusal());
                return null;
            }
            IFrameClassifier runner = RunnerFactory.Build(plan);
            Console.WriteLine(plan.Describe(kernels.Reason));
            return runner;
        }

        /// <summary>The self-test's failure, an exception included (a native kernel that refused its arguments), or null.</summary>
        private static string Check(IFrameClassifier runner)
        {
            try
            {
                return SelfTest.Run(runner);
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        }

        private static string PatternName(SyntheticPattern p)
        {
            switch (p)
            {
                case SyntheticPattern.Gradient: return "gradient";
                case SyntheticPattern.Checkerboard: return "checkerboard";
                case SyntheticPattern.ColorBars: return "colour bars";
                default: return "noise";
            }
        }
    }
}
