using System;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Bench
{
    /// <summary>
    /// nanoCLR benchmark: reference kernels against the interpreter-tuned kernels (shared/Kernels/Tuned) on two
    /// synthetic device-class networks and on the real blobs host-tools/OneBit.BenchImage embedded (EmbeddedModels),
    /// plus a calibration loop whose iterations/s relate this interpreter to an ESP32. On a nanoCLR with the
    /// OneBit.Native library (and OneBit.Native.pe loaded) the firmware's native kernels run beside the tuned ones in
    /// the same run, found as the apps find them (DeviceKernelChoice).
    /// Prints plain lines (see README.md); the per-layer lines feed host-tools' KernelCostModel calibration.
    /// </summary>
    public static class Program
    {
        private const int NativeFrames = 20;

        /// <summary>The firmware's native set, or null when DeviceKernelChoice chose the tuned one.</summary>
        private static KernelSet _native;

        public static void Main()
        {
            Console.WriteLine("OneBit.Bench on nanoCLR");
            DeviceKernelChoice choice = DeviceKernelChoice.Probe();
            _native = choice.Native ? choice.Kernels : null;
            Console.WriteLine("kernels: " + (choice.Native ? "native and tuned" : "tuned only") + " (" + choice.Reason + ")");
            Calibrate();
            PreprocessBench.Run(3, choice);
#if QUICK
            // Tuned kernels only (for kernel work): dotnet build -c Release -p:DefineConstants=QUICK
            Synthetic("fast", 32, 8, 16, 1, 0, 5);
            const int referenceFrames = 0;
#else
            Synthetic("fast", 32, 8, 16, 1, 1, 5);
            Calibrate();
            Synthetic("accurate", 32, 20, 16, 2, 1, 3);
            Calibrate();
            const int referenceFrames = 1;
#endif
            // real blobs OneBit.BenchImage embedded (--model NAME=path), each followed by a calibration like the
            // synthetic ones.
            // nanoCLR ends silently on an unhandled exception, so the reason is printed here.
            string[] names;
            try
            {
                names = EmbeddedModels.Names();
            }
            catch (Exception e)
            {
                Console.WriteLine("embedded models: FAILED: " + e.Message);
                return;
            }
#if QUICK
            if (names.Length > 0) Calibrate();
#endif
            for (int i = 0; i < names.Length; i++)
            {
                try
                {
                    Embedded(names[i], referenceFrames, 5);
                }
                catch (Exception e)
                {
                    Console.WriteLine("model " + names[i] + ": FAILED: " + e.Message);
                }
                Calibrate();
            }
            Console.WriteLine("bench done");
        }

        private static long Now()
        {
            return DateTime.UtcNow.Ticks;
        }

        /// <summary>Ticks (100 ns) as milliseconds with two decimals: native frames take well under a millisecond.</summary>
        private static string Ms(long ticks)
        {
            long hundredths = ticks / 100;      // 0.01 ms
            return (hundredths / 100).ToString() + "." + (hundredths % 100 / 10).ToString() + (hundredths % 10).ToString() + " ms";
        }

        /// <summary>The "simple loop" of DESIGN.md §4: for (i = 0; i &lt; n; i++) s += i.</summary>
        private static void Calibrate()
        {
            const int n = 2000000;
            for (int round = 0; round < 3; round++)
            {
                long t0 = Now();
                int s = 0;
                for (int i = 0; i < n; i++) s += i;
                long t = Now() - t0;
                long perSecond = (long)n * 10000000L / (t > 0 ? t : 1);
                Console.WriteLine("calibration: " + n.ToString() + " simple loop iterations in " + Ms(t) + " = "
                    + perSecond.ToString() + " iterations/s (s=" + s.ToString() + ")");
            }
        }

        private static void Synthetic(string name, int size, int depth, int width, int bits, int referenceFrames, int tunedFrames)
        {
            byte[] blob = SyntheticModel.Make(name, size, depth, width, bits, 10, 12345);
            Network net = BlobReader.Read(blob);
            byte[] pixels = new byte[net.InputBytes];
            uint x = 777;
            for (int i = 0; i < pixels.Length; i++)
            {
                x ^= x << 13; x ^= x >> 17; x ^= x << 5;
                pixels[i] = (byte)(x >> 24);
            }
            Console.WriteLine("model " + name + ": " + size.ToString() + "x" + size.ToString() + "x3, depth " + depth.ToString()
                + ", widths " + width.ToString() + "/" + (2 * width).ToString() + "/" + (4 * width).ToString() + ", "
                + bits.ToString() + "-bit activations, " + net.Layers.Length.ToString() + " layers, blob " + blob.Length.ToString() + " B");
            Measure(net, pixels, referenceFrames, tunedFrames);
        }

        /// <summary>
        /// A real blob: the input is its first test vector's pixels, and the tuned result must also match that vector's
        /// expected class and logits CRC (computed by the host kernels when the model was converted).
        /// </summary>
        private static void Embedded(string name, int referenceFrames, int tunedFrames)
        {
            byte[] blob = EmbeddedModels.Blob(name);
            Network net = BlobReader.Read(blob);
            int blobBytes = blob.Length;
            blob = null;                                        // parsed: the bytes are garbage now, as on the device
            Console.WriteLine("model " + name + " (embedded blob '" + net.Name + "'): " + net.InputHeight.ToString() + "x"
                + net.InputWidth.ToString() + "x" + net.InputChannels.ToString() + ", " + net.ClassCount.ToString() + " classes, "
                + net.ActivationBits.ToString() + "-bit activations, " + net.Layers.Length.ToString() + " layers, "
                + "blob " + blobBytes.ToString() + " B with " + net.TestVectors.Length.ToString() + " test vectors");
            if (net.TestVectors.Length == 0)
            {
                Console.WriteLine("  skipped: the blob has no test vector to take the input frame from");
                return;
            }
            TestVector v = net.TestVectors[0];
            Result tuned = Measure(net, v.Pixels, referenceFrames, tunedFrames);
            Console.WriteLine("  test vector 0: expected class " + v.ExpectedClass.ToString() + ", CRC 0x" + v.LogitsCrc.ToString("X8")
                + "; tuned same class " + (tuned.Class == v.ExpectedClass ? "yes" : "NO") + ", same logits CRC "
                + (tuned.Crc == v.LogitsCrc ? "yes" : "NO"));
            SelfTests(net);
            long nativeDevice = _native != null ? Device(net, v, NativeFrames, _native) : 0;
            long tunedDevice = Device(net, v, tunedFrames, DeviceMemoryPlan.DeviceKernels);
            if (_native != null)
            {
                Console.WriteLine("  ratio tuned/native, device path: " + Ratio(tunedDevice, nativeDevice));
            }
        }

        /// <summary>Every test vector of the blob, whole frame, with each kernel set of this run.</summary>
        private static void SelfTests(Network net)
        {
            string tuned = SelfTest.Run(new NetworkRunner(net, TunedKernelSet.Instance));
            string line = "  test vectors (all " + net.TestVectors.Length.ToString() + "): tuned " + (tuned == null ? "yes" : "NO: " + tuned);
            if (_native != null)
            {
                string native = SelfTest.Run(new NetworkRunner(net, _native));
                line += ", native " + (native == null ? "yes" : "NO: " + native);
            }
            Console.WriteLine(line);
        }

        /// <summary>
        /// The device path: what DeviceApp.Start builds when the whole frame does not fit its budget (the device memory
        /// plan with the whole frame ruled out, and its runner from RunnerFactory; no budget, so that a model over
        /// 96 KB is measured too). Last, because its kernels take over the conv weights.
        /// </summary>
        /// <returns>The minimum frame time in ticks.</returns>
        private static long Device(Network net, TestVector v, int frames, KernelSet kernels)
        {
            DeviceMemoryPlan plan = DeviceMemoryPlan.For(net, long.MaxValue, kernels, false);
            IFrameClassifier device = RunnerFactory.Build(plan);
            int cls = device.Run(v.Pixels);
            uint crc = device.LogitsChecksum();
            long total;
            long best = Best(device, v.Pixels, frames, out total);
            Console.WriteLine("  " + (plan.Kernels == _native ? "native device path" : "device path") + " (streaming runner, " + plan.Kernels.Name + " kernels, " + (plan.Streaming.Int16Stream ? "int16" : "int32")
                + " stream rings, " + plan.Streaming.StepCount.ToString() + " steps, " + plan.RunnerBytes.ToString() + " B of working memory, device heap "
                + plan.TotalBytes.ToString() + " B): " + Ms(best) + " per frame (min of " + frames.ToString()
                + " frames); same class " + (cls == v.ExpectedClass ? "yes" : "NO") + ", same logits CRC " + (crc == v.LogitsCrc ? "yes" : "NO"));
            return best;
        }

        /// <summary>The minimum time of <paramref name="frames"/> frames in ticks (the host is shared: the least disturbed
        /// measurement), and their total.</summary>
        private static long Best(IFrameClassifier runner, byte[] pixels, int frames, out long total)
        {
            long best = long.MaxValue;
            total = 0;
            for (int f = 0; f < frames; f++)
            {
                long t = Now();
                runner.Run(pixels);
                t = Now() - t;
                total += t;
                if (t < best) best = t;
            }
            return best;
        }

        /// <summary>a / b with one decimal.</summary>
        private static string Ratio(long a, long b)
        {
            if (b <= 0) b = 1;
            return (a / b).ToString() + "." + ((a * 10 / b) % 10).ToString();
        }

        /// <summary>Tuned frames (minimum over frames, per-layer minima), the firmware's native frames and the ratio when
        /// this nanoCLR has them, then the reference frames and the ratio.</summary>
        private static Result Measure(Network net, byte[] pixels, int referenceFrames, int tunedFrames)
        {
            NetworkRunner reference = new NetworkRunner(net, ReferenceKernelSet.Instance);
            Result result = Frames(new NetworkRunner(net, TunedKernelSet.Instance), "tuned", pixels, tunedFrames);
            int tunedClass = result.Class;
            uint tunedCrc = result.Crc;
            long tunedTicks = result.Ticks;
            if (_native != null)
            {
                Result native = Frames(new NetworkRunner(net, _native), "native", pixels, NativeFrames);
                Console.WriteLine("  ratio tuned/native, whole frame: " + Ratio(tunedTicks, native.Ticks) + "; same class "
                    + (native.Class == tunedClass ? "yes" : "NO") + ", same logits CRC " + (native.Crc == tunedCrc ? "yes" : "NO"));
            }
            if (referenceFrames == 0) return result;

            long t0 = Now();
            int refClass = 0;
            for (int f = 0; f < referenceFrames; f++) refClass = reference.Run(pixels);
            long refTicks = (Now() - t0) / referenceFrames;
            uint refCrc = reference.LogitsChecksum();
            Console.WriteLine("  reference: " + Ms(refTicks) + " per frame (" + referenceFrames.ToString() + " frame)");
            Console.WriteLine("  ratio reference/tuned: " + Ratio(refTicks, tunedTicks) + "; same class " + (refClass == tunedClass ? "yes" : "NO") + ", same logits CRC " + (refCrc == tunedCrc ? "yes" : "NO")
                + " (0x" + refCrc.ToString("X8") + ")");
            return result;
        }

        /// <summary>
        /// One warm-up frame (first-call costs of the interpreter; its class and logits CRC are the result's), then the
        /// minimum over <paramref name="frames"/> frames and the per-layer minima over as many more.
        /// </summary>
        private static Result Frames(NetworkRunner runner, string label, byte[] pixels, int frames)
        {
            Result result = new Result();
            result.Class = runner.Run(pixels);
            result.Crc = runner.LogitsChecksum();
            long total;
            long best = Best(runner, pixels, frames, out total);
            result.Ticks = best;
            Console.WriteLine("  " + label + ": " + Ms(best) + " per frame (min of " + frames.ToString() + " frames, mean "
                + Ms(total / frames) + ")");

            LayerClock clock = new LayerClock(runner.Network.Layers.Length);
            runner.Observer = clock;
            for (int f = 0; f < frames; f++)
            {
                clock.Start();
                runner.Run(pixels);
            }
            runner.Observer = null;
            clock.Print(runner.Network);
            return result;
        }
    }

    /// <summary>Class and logits CRC of a runner's first frame, and its best frame time in ticks.</summary>
    internal sealed class Result
    {
        public int Class;
        public uint Crc;
        public long Ticks;
    }

    /// <summary>Per-layer wall time of one frame (the observer is called after every layer).</summary>
    internal sealed class LayerClock : ILayerObserver
    {
        private readonly long[] _min;
        private long _last;

        public LayerClock(int layers)
        {
            _min = new long[layers];
            for (int i = 0; i < layers; i++) _min[i] = long.MaxValue;
        }

        public void Start()
        {
            _last = DateTime.UtcNow.Ticks;
        }

        public void AfterLayer(int layerIndex, int[] stream, uint[] planes, int[] accumulator, int[] logits)
        {
            long now = DateTime.UtcNow.Ticks;
            if (now - _last < _min[layerIndex]) _min[layerIndex] = now - _last;
            _last = now;
        }

        /// <summary>Minimum time of every layer over the frames observed, and their sum.</summary>
        public void Print(Network net)
        {
            long sum = 0;
            for (int i = 0; i < _min.Length; i++)
            {
                Layer l = net.Layers[i];
                string what = LayerKind.Name(l.Kind);
                ConvLayer conv = l as ConvLayer;
                if (conv != null)
                {
                    what += " " + conv.KernelSize.ToString() + "x" + conv.KernelSize.ToString() + "/" + conv.Stride.ToString() + " "
                        + conv.InChannels.ToString() + "->" + conv.OutChannels.ToString() + " @" + conv.OutHeight.ToString() + "x"
                        + conv.OutWidth.ToString() + " b" + conv.Bits.ToString();
                }
                Console.WriteLine("    layer " + i.ToString() + " " + what + ": " + (_min[i] / 10).ToString() + " us");
                sum += _min[i];
            }
            Console.WriteLine("    sum of per-layer minima: " + (sum / 10).ToString() + " us");
        }
    }
}
