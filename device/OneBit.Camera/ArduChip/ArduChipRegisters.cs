namespace OneBit.Camera.ArduChip
{
    /// <summary>
    /// Registers of the ArduChip (the CPLD/FPGA frame-FIFO controller on ArduCAM Mini boards), from the ArduCAM
    /// Arduino library ArduCAM/ArduCAM.h and ArduCAM.cpp (same values in ArduCAM_ESP32S_UNO libraries/ArduCAM).
    /// SPI mode 0, MSB first; a register access is two bytes with chip select held: address (bit 7 = 1 for a
    /// write, RWBIT 0x80), then data (write) or a dummy byte during which the value is clocked out (read).
    /// </summary>
    public static class ArduChipRegisters
    {
        /// <summary>RWBIT: set in the address byte for writes.</summary>
        public const int WriteFlag = 0x80;

        /// <summary>ARDUCHIP_TEST1: scratch register; the sketches write 0x55 and read it back to test SPI.</summary>
        public const int Test = 0x00;
        /// <summary>ARDUCHIP_FIFO: FIFO control.</summary>
        public const int FifoControl = 0x04;
        /// <summary>FIFO_CLEAR_MASK: clears the capture-done flag and the FIFO (flush_fifo / clear_fifo_flag).</summary>
        public const int FifoClear = 0x01;
        /// <summary>FIFO_START_MASK: capture the next frame into the FIFO (start_capture).</summary>
        public const int FifoStart = 0x02;
        /// <summary>FIFO_RDPTR_RST_MASK.</summary>
        public const int FifoReadPointerReset = 0x10;
        /// <summary>FIFO_WRPTR_RST_MASK.</summary>
        public const int FifoWritePointerReset = 0x20;
        /// <summary>Register 0x07 bit 7 resets the CPLD ("Reset the CPLD" in the ArduCAM Mini 2MP sketches: 0x80, 100 ms, 0x00, 100 ms).</summary>
        public const int CpldReset = 0x07;
        public const int CpldResetBit = 0x80;
        public const int CpldResetDelayMs = 100;
        /// <summary>BURST_FIFO_READ: after this command byte every clocked byte is the next FIFO byte.</summary>
        public const int BurstFifoRead = 0x3C;
        /// <summary>SINGLE_FIFO_READ: reads one FIFO byte per access.</summary>
        public const int SingleFifoRead = 0x3D;
        /// <summary>ARDUCHIP_REV: version in bits 5:0 (VER_LOW_MASK) and 7:6.</summary>
        public const int Revision = 0x40;
        /// <summary>ARDUCHIP_TRIG: status.</summary>
        public const int Status = 0x41;
        /// <summary>CAP_DONE_MASK: bit 3 of ARDUCHIP_TRIG is set when the frame is in the FIFO.</summary>
        public const int CaptureDone = 0x08;
        /// <summary>FIFO_SIZE1..3: bytes written, bits 7:0, 15:8, 22:16 (read_fifo_length masks the third with 0x7F).</summary>
        public const int FifoSize0 = 0x42;
        public const int FifoSize1 = 0x43;
        public const int FifoSize2 = 0x44;
        /// <summary>MAX_FIFO_SIZE of the Mini 2MP: 0x5FFFF (384 KB).</summary>
        public const int MaxFifoBytes = 0x5FFFF;
    }
}
