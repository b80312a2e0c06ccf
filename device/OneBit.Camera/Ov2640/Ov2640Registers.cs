namespace OneBit.Camera.Ov2640
{
    /// <summary>
    /// OV2640 register addresses and bits used by this driver. Names follow the OV2640 datasheet / software
    /// application note (the same names the OpenMV and Espressif esp32-camera drivers use in ov2640_regs.h).
    /// The chip has two register banks selected by writing 0xFF (BANK_SEL): 0 = DSP, 1 = sensor.
    /// </summary>
    public static class Ov2640Registers
    {
        /// <summary>7-bit SCCB address (datasheet: write 0x60 / read 0x61; ArduCAM library: 0x60 >> 1 on Arduino, 0x30 on Raspberry Pi).</summary>
        public const int I2cAddress = 0x30;

        public const int BankSelect = 0xFF;
        public const int BankDsp = 0x00;
        public const int BankSensor = 0x01;

        // ---- sensor bank (0xFF = 1) ----
        /// <summary>PIDH: product ID high byte, reads 0x26 (datasheet; ArduCAM sketches check vid == 0x26).</summary>
        public const int ProductIdHigh = 0x0A;
        /// <summary>PIDL (VER): product ID low byte, 0x42 (datasheet), some modules 0x41 (ArduCAM sketches accept both).</summary>
        public const int ProductIdLow = 0x0B;
        public const int ExpectedPidHigh = 0x26;
        public const int ExpectedPidLow = 0x42;
        public const int AlternativePidLow = 0x41;

        public const int Com7 = 0x12;
        /// <summary>COM7 bit 7: soft reset of all registers (datasheet; ArduCAM InitCAM writes 0x80, then waits 100 ms).</summary>
        public const int Com7SoftReset = 0x80;
        /// <summary>Wait after the soft reset (ArduCAM InitCAM: delay(100)).</summary>
        public const int SoftResetDelayMs = 100;

        // ---- DSP bank (0xFF = 0) ----
        public const int RBypass = 0x05;
        public const int Ctrli = 0x50;
        public const int ZoomOutWidth = 0x5A;   // ZMOW: OUTW[7:0] = width / 4
        public const int ZoomOutHeight = 0x5B;  // ZMOH: OUTH[7:0] = height / 4
        public const int ZoomHigh = 0x5C;       // ZMHH: OUTH[8] in bit 2, OUTW[9:8] in bits 1:0
        public const int ImageMode = 0xDA;
        public const int Reset = 0xE0;

        /// <summary>IMAGE_MODE output format field (bits 3:2): 00 YUV422, 10 RGB565 (datasheet). Bit 0 = low byte first: kept 0.</summary>
        public const int ImageModeYuv422 = 0x00;
        public const int ImageModeRgb565 = 0x08;

        /// <summary>Largest output of the CIF window configured by <see cref="Ov2640Tables.SensorCif"/>: 400 × 296.</summary>
        public const int MaxWidth = 400;
        public const int MaxHeight = 296;
    }
}
