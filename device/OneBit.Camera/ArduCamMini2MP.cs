using System;
using OneBit.Camera.ArduChip;
using OneBit.Camera.Bus;
using OneBit.Camera.Ov2640;
using OneBit.Runtime.Frames;

namespace OneBit.Camera
{
    /// <summary>
    /// ArduCAM Mini 2MP: an OV2640 configured over I2C (SCCB) whose DVP output is captured by the ArduChip into a
    /// frame FIFO that is read over SPI. Written in the dotnet/iot binding style against <see cref="II2cBus"/> and
    /// <see cref="ISpiBus"/>, so the same source runs on nanoFramework, on a Raspberry Pi (System.Device.*) and
    /// against the simulated bus of the tests.
    /// <para>Sequence (ArduCAM library and Mini 2MP sketches): reset CPLD → SPI test register → sensor chip ID →
    /// soft reset → register tables → clear FIFO flag. Per frame: clear flag, start, poll ARDUCHIP_TRIG bit 3,
    /// read FIFO length, burst-read, clear flag.</para>
    /// All buffers are allocated in the constructor; Capture allocates nothing. Every failure surfaces as a
    /// <see cref="FrameSourceException"/> (device or bus fault: retry/recover) or <see cref="BadFrameException"/>
    /// (this frame is unusable: skip it), with the bus fault as inner exception.
    /// </summary>
    public sealed class ArduCamMini2MP : IRecoverableFrameSource
    {
        private readonly IClock _clock;
        private readonly ArduCamSettings _settings;
        private readonly Ov2640Sensor _sensor;
        private readonly ArduChipController _chip;
        private readonly int _fifoFrameBytes;
        private readonly int _step;
        private readonly int _firstKept;
        private bool _ready;

        public ArduCamMini2MP(II2cBus i2c, ISpiBus spi, IClock clock, ArduCamSettings settings)
        {
            if (i2c == null) throw new ArgumentNullException("i2c");
            if (spi == null) throw new ArgumentNullException("spi");
            if (clock == null) throw new ArgumentNullException("clock");
            if (settings == null) settings = new ArduCamSettings();
            Ov2640Sensor.CheckSize(settings.Format, settings.Width, settings.Height);
            _clock = clock;
            _settings = settings;
            _sensor = new Ov2640Sensor(i2c, clock);
            _chip = new ArduChipController(spi, settings.BurstChunkBytes, settings.BurstDummyBytes);
            _fifoFrameBytes = settings.Width * settings.Height * 2;   // RGB565 and YUV422 are both 2 bytes per pixel
            _step = settings.Format == PixelFormat.Gray8 ? 2 : 1;
            _firstKept = _step == 2 && !settings.YuvYFirst ? 1 : 0;
            _chip.Prepare(_fifoFrameBytes);
            FrameBytes = PixelFormats.FrameBytes(settings.Width, settings.Height, settings.Format);
        }

        public int Width { get { return _settings.Width; } }
        public int Height { get { return _settings.Height; } }
        public PixelFormat Format { get { return _settings.Format; } }
        public int FrameBytes { get; private set; }

        /// <summary>The sensor, for diagnostics and tests.</summary>
        public Ov2640Sensor Sensor { get { return _sensor; } }
        /// <summary>The FIFO controller, for diagnostics and tests.</summary>
        public ArduChipController Chip { get { return _chip; } }
        /// <summary>FIFO length of the last capture.</summary>
        public int LastFifoLength { get; private set; }
        /// <summary>Capture-done polls of the last capture.</summary>
        public int LastPollCount { get; private set; }

        /// <summary>Brings the camera up; throws FrameSourceException with what failed and what to check.</summary>
        public void Initialize()
        {
            _ready = false;
            string step = "SPI (ArduChip)";
            try
            {
                _chip.ResetCpld(_clock);
                int wrong = _chip.TestBus();
                if (wrong >= 0)
                {
                    throw new FrameSourceException("camera SPI test failed: the ArduChip test register 0x00 read back 0x" +
                        wrong.ToString("X2") + " instead of what was written (0x55/0xAA). Check MOSI/MISO/SCK/CS wiring, SPI mode 0 and a clock of 8 MHz or less");
                }
                step = "I2C (OV2640 at 0x30)";
                _sensor.CheckChipId();
                _sensor.SoftReset();
                _sensor.Configure(_settings.Format, _settings.Width, _settings.Height);
                step = "SPI (ArduChip)";
                _chip.ClearFifoFlag();
            }
            catch (BusFaultException e)
            {
                throw new FrameSourceException("camera initialization failed on " + step + ": " + BusFaultException.Describe(e.Fault) +
                    " (" + e.Message + "). " + Hint(e.Fault), e);
            }
            _ready = true;
        }

        public void Recover()
        {
            Initialize();
        }

        public void Capture(byte[] buffer)
        {
            if (buffer == null || buffer.Length < FrameBytes) throw new ArgumentException("buffer must hold " + FrameBytes.ToString() + " bytes");
            if (!_ready) throw new FrameSourceException("camera is not initialized (call Initialize, or Recover after a fault)");
            try
            {
                _chip.ClearFifoFlag();
                _chip.StartCapture();
                long start = _clock.Milliseconds;
                int polls = 0;
                while (true)
                {
                    polls++;
                    if (_chip.IsCaptureDone()) break;
                    if (_clock.Milliseconds - start >= _settings.CaptureTimeoutMs)
                    {
                        LastPollCount = polls;
                        throw new FrameSourceException("camera capture timed out after " + _settings.CaptureTimeoutMs.ToString() +
                            " ms: the ArduChip never set capture-done (register 0x41 bit 3). Is the sensor configured and clocked?");
                    }
                    _clock.Sleep(_settings.PollIntervalMs);
                }
                LastPollCount = polls;
                int length = _chip.ReadFifoLength();
                LastFifoLength = length;
                if (length < _fifoFrameBytes || length > _fifoFrameBytes + _settings.FifoSlackBytes || length > ArduChipRegisters.MaxFifoBytes)
                {
                    _chip.ClearFifoFlag();
                    throw new BadFrameException("bad frame: the FIFO holds " + length.ToString() + " bytes, a " + Width.ToString() + "x" +
                        Height.ToString() + " frame is " + _fifoFrameBytes.ToString() + " bytes");
                }
                _chip.BurstRead(_fifoFrameBytes, buffer, 0, _step, _firstKept);
                _chip.ClearFifoFlag();
            }
            catch (BusFaultException e)
            {
                throw new FrameSourceException("camera capture failed: SPI " + BusFaultException.Describe(e.Fault) + " (" + e.Message + "). " + Hint(e.Fault), e);
            }
        }

        private static string Hint(BusFault fault)
        {
            switch (fault)
            {
                case BusFault.Nack: return "Check SDA/SCL wiring, pull-ups and the module's 3.3 V/5 V supply.";
                case BusFault.Timeout: return "A line may be held low: power-cycle the camera.";
                default: return "Check the wiring and the bus settings.";
            }
        }
    }
}
