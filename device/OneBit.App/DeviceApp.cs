using System;
using OneBit.App.Hardware;
using OneBit.Camera;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Model;

namespace OneBit.App
{
    /// <summary>
    /// The device application, hardware-free: start-up (load the blob, self-test, report memory), then the loop
    /// capture → preprocess → run → report. Hardware enters only through the interfaces given to the constructor,
    /// so the whole app runs in host tests with a simulated camera.
    /// <para>Memory: the blob is dropped after parsing; per-frame buffers (frame, model input, runner buffers)
    /// are allocated in <see cref="Start"/>; <see cref="Step"/> allocates only report strings.</para>
    /// <para>Faults never end the loop: a <see cref="BadFrameException"/> skips the frame, a
    /// <see cref="FrameSourceException"/> waits (exponential back-off) and, after
    /// <see cref="AppOptions.RecoverAfterFaults"/> in a row, re-initializes a recoverable source; any other exception
    /// is reported and the loop goes on.</para>
    /// </summary>
    public sealed class DeviceApp
    {
        private readonly IFrameSource _source;
        private readonly IModelSource _model;
        private readonly IAppOutput _out;
        private readonly IClock _clock;
        private readonly IStatusLed _led;
        private readonly IMemoryProbe _memory;
        private readonly AppOptions _options;

        private IFrameClassifier _runner;
        private FramePreprocessor _pre;
        private IFramePreprocessor _preprocess;
        private byte[] _frame;
        private byte[] _input;
        private int _consecutiveFaults;
        private int _retryDelay;
        private long _selfTestMs;

        public DeviceApp(IFrameSource source, IModelSource model, IAppOutput output, IClock clock,
            IStatusLed led, IMemoryProbe memory, AppOptions options)
        {
            if (source == null) throw new ArgumentNullException("source");
            if (model == null) throw new ArgumentNullException("model");
            if (output == null) throw new ArgumentNullException("output");
            if (clock == null) throw new ArgumentNullException("clock");
            _source = source;
            _model = model;
            _out = output;
            _clock = clock;
            _led = led;
            _memory = memory;
            _options = options != null ? options : new AppOptions();
            _retryDelay = _options.RetryDelayMs;
        }

        public Network Network { get { return _runner != null ? _runner.Network : null; } }
        /// <summary>The runner Start built for its <see cref="DeviceMemoryPlan"/>: whole frame when it fits the budget, else streaming rows.</summary>
        public IFrameClassifier Runner { get { return _runner; } }
        public FramePreprocessor Preprocessor { get { return _pre; } }
        /// <summary>What runs <see cref="Preprocessor"/> per frame: the firmware's C copy when the native kernels run
        /// (DeviceKernelChoice.Preprocessor), else the preprocessor itself.</summary>
        public IFramePreprocessor Preprocessing { get { return _preprocess; } }
        /// <summary>The model input of the last classified frame (owned by the app).</summary>
        public byte[] LastInput { get { return _input; } }

        public int Iterations { get; private set; }
        public int Classified { get; private set; }
        public int BadFrames { get; private set; }
        public int SourceFaults { get; private set; }
        public int Errors { get; private set; }
        public int Recoveries { get; private set; }
        public int LastClass { get; private set; }
        public int LastScore { get; private set; }
        public long LastFrameMs { get; private set; }

        /// <summary>
        /// Loads and checks the model and prepares all buffers. Returns false (after reporting why) when the model
        /// cannot be used: then the app must not run. A camera that fails to come up is reported but not fatal.
        /// </summary>
        public bool Start()
        {
            _out.WriteLine("OneBit device app");
            ReportMemory("memory at start");
            Network net;
            try
            {
                _out.WriteLine("loading model: " + _model.Length.ToString() + " bytes from " + _model.Description);
                // Page by page: the blob never sits in RAM next to the parsed network (for the accurate CIFAR-10 model
                // the two would not fit 96 KB together). The budget is checked by the device memory plan below; the
                // reader's own check is for whole-frame buffers, which the device may not be able to afford.
                net = BlobReader.Read(_model, long.MaxValue, _options.BlobPageBytes);
            }
            catch (BlobFormatException e)
            {
                _out.WriteLine("model rejected: " + e.Message);
                return false;
            }
            catch (Exception e)
            {
                _out.WriteLine("model could not be loaded: " + e.Message);
                return false;
            }
            _out.WriteLine("model: '" + net.Name + "' " + net.InputHeight.ToString() + "x" + net.InputWidth.ToString() + "x" +
                net.InputChannels.ToString() + " -> " + net.ClassCount.ToString() + " classes, " + net.Layers.Length.ToString() +
                " layers, parameters " + net.ParameterBytes.ToString() + " B, working memory " + net.WorkingMemoryBytes.ToString() + " B");

            // The firmware's native kernels when it carries their library, else the tuned C# kernels; the line says why.
            DeviceKernelChoice kernels = DeviceKernelChoice.Probe(_options.NativeAssembly, _options.NativeKernelSetType);
            string failure = BuildAndSelfTest(net, kernels);
            if (failure != null && kernels.Native && _runner != null)
            {
                // Native kernels that disagree with the blob's test vectors (a firmware built from other sources) must not
                // take the app down: the network is intact (the native set keeps the weights), so the tuned set takes over.
                _out.WriteLine("self-test FAILED with the native kernels: " + failure);
                kernels = DeviceKernelChoice.AfterFailedSelfTest(failure);
                failure = BuildAndSelfTest(net, kernels);
            }
            if (_runner == null) return false;
            if (failure != null)
            {
                _out.WriteLine("self-test FAILED: " + failure);
                _runner = null;
                return false;
            }
            return Prepare(net, kernels);
        }

        /// <summary>Plans and builds the runner with <paramref name="kernels"/>, prints the start-up line and runs the
        /// self-test; returns its failure or null. <see cref="_runner"/> stays null when the model does not fit.</summary>
        private string BuildAndSelfTest(Network net, DeviceKernelChoice kernels)
        {
            _runner = null;
            DeviceMemoryPlan plan = DeviceMemoryPlan.For(net, _options.MemoryBudgetBytes, kernels.Kernels, _options.WholeFrameWhenItFits);
            if (!plan.Fits)
            {
                _out.WriteLine(plan.Refusal());
                return null;
            }
            _runner = RunnerFactory.Build(plan);
            _out.WriteLine(plan.Describe(kernels.Reason));
            long t0 = _clock.Milliseconds;
            string failure;
            try
            {
                failure = SelfTest.Run(_runner, _model);
            }
            catch (Exception e)
            {
                // e.g. a native kernel that refused its arguments (ArgumentException from the firmware's checks)
                failure = e.GetType().Name + ": " + e.Message;
            }
            _selfTestMs = _clock.Milliseconds - t0;
            return failure;
        }

        /// <summary>The rest of Start once the runner passed its self-test: the frame buffers, the preprocessor that goes
        /// with <paramref name="kernels"/>, the camera.</summary>
        private bool Prepare(Network net, DeviceKernelChoice kernels)
        {
            if (net.TestVectors.Length == 0)
            {
                _out.WriteLine("self-test: the blob carries no test vectors, nothing was checked (re-run `onebit convert` to embed some)");
            }
            else
            {
                _out.WriteLine("self-test: " + net.TestVectors.Length.ToString() + " test vectors passed in " + _selfTestMs.ToString() + " ms");
            }

            _frame = new byte[_source.FrameBytes];
            _input = new byte[net.InputBytes];
            _pre = new FramePreprocessor(_source.Width, _source.Height, _source.Format,
                net.InputHeight, net.InputWidth, net.InputChannels, _options.Resize, _options.CenterCrop);
            _preprocess = kernels.Preprocessor(_pre, _frame, _input);
            if (kernels.PreprocessorNote != null) _out.WriteLine("preprocessor: C# (" + kernels.PreprocessorNote + ")");
            _out.WriteLine("frames: " + _source.Width.ToString() + "x" + _source.Height.ToString() + " " + PixelFormats.Name(_source.Format) +
                ", crop " + _pre.CropWidth.ToString() + "x" + _pre.CropHeight.ToString() + " at (" + _pre.CropX.ToString() + "," + _pre.CropY.ToString() +
                "), " + (_options.Resize == ResizeMode.Area ? "area" : "nearest") + " resize to " + net.InputHeight.ToString() + "x" +
                net.InputWidth.ToString() + "x" + net.InputChannels.ToString() + ", " + _preprocess.Name + " preprocessor");

            IRecoverableFrameSource recoverable = _source as IRecoverableFrameSource;
            if (recoverable != null)
            {
                try
                {
                    recoverable.Recover();
                    _out.WriteLine("camera ready");
                }
                catch (Exception e)
                {
                    _out.WriteLine("camera not ready (the loop keeps retrying): " + e.Message);
                }
            }
            ReportMemory("memory ready");
            return true;
        }

        /// <summary>Runs <paramref name="frames"/> iterations, or forever when it is 0 or less.</summary>
        public void Run(int frames)
        {
            if (_runner == null) throw new InvalidOperationException("Start() must succeed before Run");
            for (int i = 0; frames <= 0 || i < frames; i++) Step();
        }

        /// <summary>One iteration: capture → preprocess → classify → report, or report a fault. Never throws.</summary>
        public FrameOutcome Step()
        {
            if (_runner == null) throw new InvalidOperationException("Start() must succeed before Step");
            Iterations++;
            try
            {
                if (_options.LedClass < 0) SetLed(true);
                long t0 = _clock.Milliseconds;
                _source.Capture(_frame);
                long t1 = _clock.Milliseconds;
                _preprocess.Process(_frame, _input);
                long t2 = _clock.Milliseconds;
                int cls = _runner.Run(_input);
                long t3 = _clock.Milliseconds;

                _consecutiveFaults = 0;
                _retryDelay = _options.RetryDelayMs;
                Classified++;
                LastClass = cls;
                LastScore = _runner.Logits[cls];
                LastFrameMs = t3 - t0;
                SetLed(_options.LedClass < 0 ? false : cls == _options.LedClass);
                if (_options.ReportEvery <= 1 || Classified % _options.ReportEvery == 0)
                {
                    _out.WriteLine("frame " + Iterations.ToString() + ": class " + cls.ToString() + " '" + _runner.Network.ClassNames[cls] +
                        "' score " + LastScore.ToString() + " | " + LastFrameMs.ToString() + " ms (capture " + (t1 - t0).ToString() +
                        ", preprocess " + (t2 - t1).ToString() + ", run " + (t3 - t2).ToString() + ")");
                }
                return FrameOutcome.Classified;
            }
            catch (BadFrameException e)
            {
                SetLed(false);
                BadFrames++;
                _out.WriteLine("frame " + Iterations.ToString() + ": skipped, " + e.Message);
                return FrameOutcome.BadFrame;
            }
            catch (FrameSourceException e)
            {
                SetLed(false);
                SourceFaults++;
                _consecutiveFaults++;
                _out.WriteLine("frame " + Iterations.ToString() + ": camera fault " + _consecutiveFaults.ToString() + " in a row, retrying in " +
                    _retryDelay.ToString() + " ms: " + e.Message);
                _clock.Sleep(_retryDelay);
                _retryDelay = _retryDelay * 2 > _options.MaxRetryDelayMs ? _options.MaxRetryDelayMs : _retryDelay * 2;
                TryRecover();
                return FrameOutcome.SourceFault;
            }
            catch (Exception e)
            {
                SetLed(false);
                Errors++;
                _out.WriteLine("frame " + Iterations.ToString() + ": error " + e.GetType().Name + ": " + e.Message);
                _clock.Sleep(_options.RetryDelayMs);
                return FrameOutcome.Error;
            }
        }

        private void TryRecover()
        {
            IRecoverableFrameSource recoverable = _source as IRecoverableFrameSource;
            if (recoverable == null || _options.RecoverAfterFaults <= 0 || _consecutiveFaults % _options.RecoverAfterFaults != 0) return;
            try
            {
                _out.WriteLine("re-initializing the camera after " + _consecutiveFaults.ToString() + " faults");
                recoverable.Recover();
                Recoveries++;
                _out.WriteLine("camera ready");
            }
            catch (Exception e)
            {
                _out.WriteLine("camera re-initialization failed: " + e.Message);
            }
        }

        private void SetLed(bool on)
        {
            if (_led == null) return;
            try
            {
                _led.Set(on);
            }
            catch (Exception)
            {
                // An indicator must never stop the loop.
            }
        }

        private void ReportMemory(string what)
        {
            if (_memory == null) return;
            long free = _memory.FreeBytes();
            if (free >= 0) _out.WriteLine(what + ": " + free.ToString() + " bytes free");
        }
    }
}
