using OneBit.Camera.Bus;
using OneBit.Runtime.Frames;

namespace OneBit.Camera.Ov2640
{
    /// <summary>
    /// The OV2640 image sensor over SCCB (I2C-compatible, 7-bit address 0x30). SCCB reads are two-phase:
    /// a write of the register address, STOP, then a read (OmniVision SCCB specification; the ArduCAM library
    /// does the same with Wire.endTransmission + requestFrom), so reads use Write then Read, not WriteRead.
    /// Buffers are allocated once here. Bus faults propagate as <see cref="BusFaultException"/>.
    /// </summary>
    public sealed class Ov2640Sensor
    {
        private readonly II2cBus _bus;
        private readonly IClock _clock;
        private readonly byte[] _pair = new byte[2];
        private readonly byte[] _one = new byte[1];
        private readonly byte[] _in = new byte[1];
        private readonly byte[] _size = new byte[6];
        private int _bank = -1;

        public Ov2640Sensor(II2cBus bus, IClock clock)
        {
            if (bus == null) throw new System.ArgumentNullException("bus");
            if (clock == null) throw new System.ArgumentNullException("clock");
            _bus = bus;
            _clock = clock;
        }

        public void WriteRaw(int register, int value)
        {
            _pair[0] = (byte)register;
            _pair[1] = (byte)value;
            _bus.Write(_pair);
            if (register == Ov2640Registers.BankSelect) _bank = value;
        }

        public byte ReadRaw(int register)
        {
            _one[0] = (byte)register;
            _bus.Write(_one);
            _bus.Read(_in);
            return _in[0];
        }

        public void SelectBank(int bank)
        {
            if (_bank != bank) WriteRaw(Ov2640Registers.BankSelect, bank);
        }

        public byte Read(int bank, int register)
        {
            SelectBank(bank);
            return ReadRaw(register);
        }

        public void Write(int bank, int register, int value)
        {
            SelectBank(bank);
            WriteRaw(register, value);
        }

        /// <summary>Writes a {register, value} table in order.</summary>
        public void WriteTable(byte[] table)
        {
            for (int i = 0; i + 1 < table.Length; i += 2) WriteRaw(table[i], table[i + 1]);
        }

        /// <summary>Returns (PIDH &lt;&lt; 8) | PIDL read from the sensor bank.</summary>
        public int ReadChipId()
        {
            _bank = -1;   // the bank register may have any value after power-up or a reset
            int high = Read(Ov2640Registers.BankSensor, Ov2640Registers.ProductIdHigh);
            int low = Read(Ov2640Registers.BankSensor, Ov2640Registers.ProductIdLow);
            return (high << 8) | low;
        }

        /// <summary>Throws FrameSourceException naming the ID found unless it is 0x2642 (or 0x2641).</summary>
        public void CheckChipId()
        {
            int id = ReadChipId();
            int high = id >> 8;
            int low = id & 0xFF;
            if (high != Ov2640Registers.ExpectedPidHigh ||
                (low != Ov2640Registers.ExpectedPidLow && low != Ov2640Registers.AlternativePidLow))
            {
                throw new FrameSourceException("camera sensor is not an OV2640: chip ID registers 0x0A/0x0B (bank 1) read 0x" +
                    high.ToString("X2") + "/0x" + low.ToString("X2") + ", expected 0x26/0x42 (or 0x26/0x41). " +
                    "Check that an ArduCAM Mini 2MP (not the 5MP OV5642 board) is on I2C address 0x30");
            }
        }

        /// <summary>COM7 soft reset, then the datasheet/ArduCAM settle time.</summary>
        public void SoftReset()
        {
            Write(Ov2640Registers.BankSensor, Ov2640Registers.Com7, Ov2640Registers.Com7SoftReset);
            _bank = -1;
            _clock.Sleep(Ov2640Registers.SoftResetDelayMs);
        }

        /// <summary>
        /// Full configuration for a capture size and format: defaults + CIF window, DSP window, output size
        /// (ZMOW = w/4, ZMOH = h/4, ZMHH high bits; datasheet and esp32-camera set_framesize), then the format.
        /// Width and height must be multiples of 4 within 400 × 296.
        /// </summary>
        public void Configure(PixelFormat format, int width, int height)
        {
            CheckSize(format, width, height);
            WriteTable(Ov2640Tables.SensorCif);
            WriteTable(Ov2640Tables.DspCifWindow);
            _size[0] = (byte)Ov2640Registers.ZoomOutWidth;
            _size[1] = (byte)((width >> 2) & 0xFF);
            _size[2] = (byte)Ov2640Registers.ZoomOutHeight;
            _size[3] = (byte)((height >> 2) & 0xFF);
            _size[4] = (byte)Ov2640Registers.ZoomHigh;
            _size[5] = (byte)(((height >> 8) & 0x04) | ((width >> 10) & 0x03));
            WriteTable(_size);
            Write(Ov2640Registers.BankDsp, Ov2640Registers.Reset, 0x00);
            Write(Ov2640Registers.BankDsp, Ov2640Registers.RBypass, 0x00);
            WriteTable(format == PixelFormat.Rgb565 ? Ov2640Tables.Rgb565 : Ov2640Tables.Yuv422);
        }

        public static void CheckSize(PixelFormat format, int width, int height)
        {
            if (format != PixelFormat.Rgb565 && format != PixelFormat.Gray8)
            {
                throw new System.ArgumentException("the OV2640 driver delivers RGB565 or Gray8 (YUV Y channel), not " + PixelFormats.Name(format));
            }
            if (width < 8 || height < 8 || width > Ov2640Registers.MaxWidth || height > Ov2640Registers.MaxHeight ||
                (width & 3) != 0 || (height & 3) != 0)
            {
                throw new System.ArgumentException("OV2640 output " + width.ToString() + "x" + height.ToString() +
                    " unsupported: width and height must be multiples of 4 within 400x296 (e.g. 160x120 QQVGA)");
            }
        }
    }
}
