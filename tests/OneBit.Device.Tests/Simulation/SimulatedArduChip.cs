using OneBit.Camera.Bus;

namespace OneBit.Device.Tests.Simulation;

/// <summary>
/// The ArduChip FIFO controller on a simulated SPI bus, answering as the ArduCAM library expects: register
/// writes are [address | 0x80, value]; reads are [address, dummy] with the value in the second received byte;
/// 0x04 bit 0 clears the capture-done flag, bit 1 captures one frame from the sensor into the FIFO; 0x41 bit 3
/// is capture-done (after <see cref="PollsUntilDone"/> reads); 0x42..0x44 give the FIFO length; 0x3C starts a
/// burst read that continues from the FIFO read pointer across transfers.
/// </summary>
public sealed class SimulatedArduChip : ISpiBus
{
    private readonly SimulatedOv2640 _sensor;
    private readonly byte[] _registers = new byte[128];
    private byte[] _fifo = Array.Empty<byte>();
    private int _length;
    private int _readPointer;
    private bool _capturing;
    private int _pollsLeft;

    public SimulatedArduChip(SimulatedOv2640 sensor)
    {
        _sensor = sensor;
        _registers[0x40] = 0x73;   // some revision
    }

    /// <summary>Reads of 0x41 that return "not done" after a start (0 = done at the first poll).</summary>
    public int PollsUntilDone = 2;
    /// <summary>Capture never completes (sensor not streaming, broken VSYNC …).</summary>
    public bool NeverDone;
    /// <summary>Old ArduChip: one dummy byte after the 0x3C burst command.</summary>
    public bool BurstDummyByte;
    /// <summary>Bytes the length counter reports beyond the frame (real boards may count a few extra).</summary>
    public int LengthSlack;
    /// <summary>Reported FIFO length instead of the real one (a truncated or oversized frame).</summary>
    public int? LengthOverride;
    /// <summary>The bytes the sensor streams for the next frame; default: <see cref="DefaultFrame"/>.</summary>
    public Func<SimulatedOv2640, byte[]> FrameSupplier;
    /// <summary>Test register stuck at this value (a miswired MISO reads 0x00 or 0xFF).</summary>
    public byte? StuckTestRegister;
    public bool LogEnabled = true;

    public BusFault? Fault;
    public int FailFrom;
    public int FailCount = int.MaxValue;

    public int Transfers;
    public int Captures;
    public int Clears;
    public int CpldResets;
    public int BurstTransfers;
    public int StatusPolls;
    /// <summary>Operations in order: "W04=02", "R41", "BURST n" …</summary>
    public readonly List<string> Log = new();

    private void Begin()
    {
        int n = Transfers++;
        if (Fault.HasValue && n >= FailFrom && n < (long)FailFrom + FailCount)
        {
            throw new BusFaultException(Fault.Value, "simulated SPI " + Fault.Value);
        }
    }

    public void Write(byte[] buffer)
    {
        Begin();
        if (buffer.Length != 2 || (buffer[0] & 0x80) == 0) throw new InvalidOperationException("ArduChip register write is [addr|0x80, value]");
        WriteRegister(buffer[0] & 0x7F, buffer[1]);
    }

    public void TransferFullDuplex(byte[] writeBuffer, byte[] readBuffer)
    {
        Begin();
        if (writeBuffer.Length != readBuffer.Length) throw new InvalidOperationException("full duplex needs equal lengths");
        Array.Fill(readBuffer, (byte)0xFF);   // MISO idles high while the command byte goes out
        int cmd = writeBuffer[0];
        if (cmd == 0x3C)
        {
            BurstTransfers++;
            int start = 1;
            if (BurstDummyByte && readBuffer.Length > 1)
            {
                readBuffer[1] = 0x00;
                start = 2;
            }
            for (int i = start; i < readBuffer.Length; i++) readBuffer[i] = NextFifoByte();
            if (LogEnabled) Log.Add("BURST " + (readBuffer.Length - start));
            return;
        }
        if (cmd == 0x3D)
        {
            if (readBuffer.Length > 1) readBuffer[1] = NextFifoByte();
            return;
        }
        if ((cmd & 0x80) != 0)
        {
            WriteRegister(cmd & 0x7F, writeBuffer.Length > 1 ? writeBuffer[1] : 0);
            return;
        }
        if (readBuffer.Length < 2) throw new InvalidOperationException("a register read needs the address and one more byte");
        readBuffer[1] = ReadRegister(cmd);
    }

    private byte NextFifoByte()
    {
        // Past the written data a real FIFO returns stale memory; 0xEE makes such reads visible in tests.
        return _readPointer < _length && _readPointer < _fifo.Length ? _fifo[_readPointer++] : (byte)0xEE;
    }

    private void WriteRegister(int reg, int value)
    {
        if (LogEnabled) Log.Add("W" + reg.ToString("X2") + "=" + value.ToString("X2"));
        switch (reg)
        {
            case 0x04:
                if ((value & 0x01) != 0)
                {
                    Clears++;
                    _capturing = false;
                    _readPointer = 0;
                }
                if ((value & 0x10) != 0) _readPointer = 0;
                if ((value & 0x02) != 0)
                {
                    Captures++;
                    _capturing = true;
                    _pollsLeft = PollsUntilDone;
                    _readPointer = 0;
                    if (_sensor.Streaming && !NeverDone)
                    {
                        _fifo = (FrameSupplier ?? DefaultFrame)(_sensor);
                        _length = _fifo.Length;
                    }
                    else
                    {
                        _fifo = Array.Empty<byte>();
                        _length = 0;
                    }
                }
                break;
            case 0x07:
                if ((value & 0x80) != 0) CpldResets++;
                break;
            default:
                _registers[reg] = (byte)value;
                break;
        }
    }

    private bool Done => _capturing && !NeverDone && _sensor.Streaming && _pollsLeft < 0;

    private byte ReadRegister(int reg)
    {
        if (LogEnabled) Log.Add("R" + reg.ToString("X2"));
        int reported = LengthOverride ?? (_length + (_length > 0 ? LengthSlack : 0));
        switch (reg)
        {
            case 0x00:
                return StuckTestRegister ?? _registers[0];
            case 0x41:
                StatusPolls++;
                if (_capturing) _pollsLeft--;
                return (byte)(Done ? 0x08 : 0x00);
            case 0x42:
                return (byte)reported;
            case 0x43:
                return (byte)(reported >> 8);
            case 0x44:
                return (byte)((reported >> 16) & 0x7F);
            default:
                return _registers[reg];
        }
    }

    /// <summary>What the sensor would stream: RGB565 (high byte first) or YUYV of a deterministic pattern.</summary>
    public static byte[] DefaultFrame(SimulatedOv2640 sensor)
    {
        int w = sensor.OutputWidth, h = sensor.OutputHeight;
        var f = new byte[w * h * 2];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 2;
                if (sensor.Rgb565)
                {
                    int v = ((x & 31) << 11) | ((y & 63) << 5) | ((x + y) & 31);
                    f[i] = (byte)(v >> 8);
                    f[i + 1] = (byte)v;
                }
                else
                {
                    f[i] = (byte)((x * 3 + y * 5) & 255);   // Y
                    f[i + 1] = (byte)((x & 1) == 0 ? 0x80 : 0x70);   // U or V
                }
            }
        }
        return f;
    }
}
