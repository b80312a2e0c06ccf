using System;
using OneBit.Camera.Bus;

namespace OneBit.Camera.ArduChip
{
    /// <summary>
    /// The ArduChip frame FIFO over SPI. All transfer buffers are allocated in the constructor (burst reads move
    /// the frame in chunks of a fixed size, so no per-frame allocation). Bus faults propagate as BusFaultException.
    /// </summary>
    public sealed class ArduChipController
    {
        private readonly ISpiBus _spi;
        private readonly byte[] _write2 = new byte[2];
        private readonly byte[] _tx2 = new byte[2];
        private readonly byte[] _rx2 = new byte[2];
        private readonly int _chunk;
        private readonly int _dummy;
        private readonly byte[] _burstTx;
        private readonly byte[] _burstRx;
        private byte[] _tailTx;
        private byte[] _tailRx;

        /// <param name="chunkBytes">FIFO bytes per burst transfer (chip select is released between chunks; the FIFO read pointer carries on, as in the ArduCAM ESP32 streaming sketch).</param>
        /// <param name="burstDummyBytes">Bytes the ArduChip sends after the burst command before the first FIFO byte: 0 on current boards, 1 on old ones (ArduCAM Mini 2MP sketch: "for old version, enable it").</param>
        public ArduChipController(ISpiBus spi, int chunkBytes, int burstDummyBytes)
        {
            if (spi == null) throw new ArgumentNullException("spi");
            if (chunkBytes < 1) throw new ArgumentException("chunk must be at least one byte");
            if (burstDummyBytes < 0 || burstDummyBytes > 1) throw new ArgumentException("burst dummy bytes must be 0 or 1");
            _spi = spi;
            _chunk = chunkBytes;
            _dummy = burstDummyBytes;
            _burstTx = new byte[1 + burstDummyBytes + chunkBytes];
            _burstRx = new byte[_burstTx.Length];
            _burstTx[0] = (byte)ArduChipRegisters.BurstFifoRead;
        }

        /// <summary>Allocates the buffers for a frame of <paramref name="fifoBytes"/> now, so that BurstRead never allocates.</summary>
        public void Prepare(int fifoBytes)
        {
            int tail = fifoBytes % _chunk;
            if (tail == 0) return;
            _tailTx = new byte[1 + _dummy + tail];
            _tailRx = new byte[_tailTx.Length];
            _tailTx[0] = (byte)ArduChipRegisters.BurstFifoRead;
        }

        public byte ReadRegister(int register)
        {
            _tx2[0] = (byte)(register & 0x7F);
            _tx2[1] = 0;
            _spi.TransferFullDuplex(_tx2, _rx2);
            return _rx2[1];
        }

        public void WriteRegister(int register, int value)
        {
            _write2[0] = (byte)(register | ArduChipRegisters.WriteFlag);
            _write2[1] = (byte)value;
            _spi.Write(_write2);
        }

        /// <summary>Writes 0x55 and 0xAA to the test register and reads each back; returns the first wrong value or −1.</summary>
        public int TestBus()
        {
            WriteRegister(ArduChipRegisters.Test, 0x55);
            int v = ReadRegister(ArduChipRegisters.Test);
            if (v != 0x55) return v;
            WriteRegister(ArduChipRegisters.Test, 0xAA);
            v = ReadRegister(ArduChipRegisters.Test);
            return v != 0xAA ? v : -1;
        }

        public void ResetCpld(IClock clock)
        {
            WriteRegister(ArduChipRegisters.CpldReset, ArduChipRegisters.CpldResetBit);
            clock.Sleep(ArduChipRegisters.CpldResetDelayMs);
            WriteRegister(ArduChipRegisters.CpldReset, 0x00);
            clock.Sleep(ArduChipRegisters.CpldResetDelayMs);
        }

        /// <summary>flush_fifo / clear_fifo_flag of the ArduCAM library.</summary>
        public void ClearFifoFlag()
        {
            WriteRegister(ArduChipRegisters.FifoControl, ArduChipRegisters.FifoClear);
        }

        public void StartCapture()
        {
            WriteRegister(ArduChipRegisters.FifoControl, ArduChipRegisters.FifoStart);
        }

        public bool IsCaptureDone()
        {
            return (ReadRegister(ArduChipRegisters.Status) & ArduChipRegisters.CaptureDone) != 0;
        }

        /// <summary>read_fifo_length: bytes the last capture wrote into the FIFO.</summary>
        public int ReadFifoLength()
        {
            int l0 = ReadRegister(ArduChipRegisters.FifoSize0);
            int l1 = ReadRegister(ArduChipRegisters.FifoSize1);
            int l2 = ReadRegister(ArduChipRegisters.FifoSize2) & 0x7F;
            return ((l2 << 16) | (l1 << 8) | l0) & 0x7FFFFF;
        }

        /// <summary>
        /// Reads <paramref name="fifoBytes"/> FIFO bytes with burst reads and stores every <paramref name="step"/>-th
        /// of them (1 = all; 2 = bytes <paramref name="firstKept"/>, +2, +4 …, e.g. Y of YUYV with 0, of UYVY with 1)
        /// from <paramref name="destination"/>[offset] on. <paramref name="fifoBytes"/> must be a multiple of <paramref name="step"/>.
        /// </summary>
        public void BurstRead(int fifoBytes, byte[] destination, int offset, int step, int firstKept)
        {
            if (step < 1 || firstKept < 0 || firstKept >= step) throw new ArgumentException("bad step/firstKept");
            int o = offset;
            int phase = step - firstKept;
            if (phase == step) phase = 0;
            int remaining = fifoBytes;
            while (remaining > 0)
            {
                byte[] tx;
                byte[] rx;
                int n;
                if (remaining >= _chunk)
                {
                    n = _chunk;
                    tx = _burstTx;
                    rx = _burstRx;
                }
                else
                {
                    n = remaining;
                    if (_tailTx == null || _tailTx.Length != 1 + _dummy + n)
                    {
                        // Only when Prepare was not called for this length.
                        _tailTx = new byte[1 + _dummy + n];
                        _tailRx = new byte[_tailTx.Length];
                        _tailTx[0] = (byte)ArduChipRegisters.BurstFifoRead;
                    }
                    tx = _tailTx;
                    rx = _tailRx;
                }
                _spi.TransferFullDuplex(tx, rx);
                int start = 1 + _dummy;
                if (step == 1)
                {
                    Array.Copy(rx, start, destination, o, n);
                    o += n;
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (phase == 0) destination[o++] = rx[start + i];
                        phase++;
                        if (phase == step) phase = 0;
                    }
                }
                remaining -= n;
            }
        }
    }
}
