using OneBit.Camera.Bus;

namespace OneBit.Device.Tests.Simulation;

/// <summary>
/// An OV2640 on a simulated SCCB bus, answering as the datasheet says: two register banks chosen by 0xFF
/// (bit 0: 0 = DSP, 1 = sensor), product ID 0x26/0x42 at 0x0A/0x0B of the sensor bank, COM7 bit 7 soft reset,
/// two-phase reads (a one-byte write sets the register pointer, a read returns that register). The output
/// geometry and format the driver configured are derived from ZMOW/ZMOH/ZMHH and IMAGE_MODE.
/// </summary>
public sealed class SimulatedOv2640 : II2cBus
{
    public const int Dsp = 0;
    public const int Sensor = 1;

    private readonly byte[][] _banks = { new byte[256], new byte[256] };
    private int _bank;
    private int _pointer;

    public byte PidHigh = 0x26;
    public byte PidLow = 0x42;
    public bool LogEnabled = true;
    /// <summary>Every register write as (bank, register, value), bank selects included (register 0xFF).</summary>
    public readonly List<(int Bank, int Register, int Value)> Writes = new();
    public int SoftResets;
    public int Transfers;

    /// <summary>When set, transfers from number <see cref="FailFrom"/> (0-based) on fail with this fault.</summary>
    public BusFault? Fault;
    public int FailFrom;
    public int FailCount = int.MaxValue;

    public int Address => 0x30;

    public byte Register(int bank, int register) => _banks[bank][register];

    /// <summary>Output width the DSP was configured for: (ZMOW | ZMHH[1:0] &lt;&lt; 8) · 4.</summary>
    public int OutputWidth => (_banks[Dsp][0x5A] | ((_banks[Dsp][0x5C] & 3) << 8)) * 4;
    /// <summary>(ZMOH | ZMHH[2] &lt;&lt; 8) · 4.</summary>
    public int OutputHeight => (_banks[Dsp][0x5B] | (((_banks[Dsp][0x5C] >> 2) & 1) << 8)) * 4;
    /// <summary>IMAGE_MODE bits 3:2: 00 YUV422, 10 RGB565.</summary>
    public bool Rgb565 => (_banks[Dsp][0xDA] & 0x0C) == 0x08;
    public bool Yuv422 => (_banks[Dsp][0xDA] & 0x0C) == 0x00;
    /// <summary>Streaming: DSP not bypassed, not held in reset, and an output size set.</summary>
    public bool Streaming => _banks[Dsp][0x05] == 0 && _banks[Dsp][0xE0] == 0 && OutputWidth > 0 && OutputHeight > 0;

    private void Transfer()
    {
        int n = Transfers++;
        if (Fault.HasValue && n >= FailFrom && n < (long)FailFrom + FailCount)
        {
            throw new BusFaultException(Fault.Value, "simulated I2C " + Fault.Value + " at 0x30");
        }
    }

    public void Write(byte[] buffer)
    {
        Transfer();
        if (buffer.Length == 1)
        {
            _pointer = buffer[0];
            return;
        }
        if (buffer.Length != 2) throw new InvalidOperationException("SCCB 3-phase write is register + value, got " + buffer.Length + " bytes");
        int reg = buffer[0];
        int value = buffer[1];
        if (LogEnabled) Writes.Add((_bank, reg, value));
        if (reg == 0xFF)
        {
            _bank = value & 1;
            return;
        }
        if (_bank == Sensor && reg == 0x12 && (value & 0x80) != 0)
        {
            SoftResets++;
            Array.Clear(_banks[0]);
            Array.Clear(_banks[1]);
            _banks[Sensor][0x12] = (byte)(value & 0x7F);
            return;
        }
        _banks[_bank][reg] = (byte)value;
    }

    public void Read(byte[] buffer)
    {
        Transfer();
        for (int i = 0; i < buffer.Length; i++) buffer[i] = Value(_pointer);
    }

    public void WriteRead(byte[] writeBuffer, byte[] readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private byte Value(int reg)
    {
        if (_bank == Sensor && reg == 0x0A) return PidHigh;
        if (_bank == Sensor && reg == 0x0B) return PidLow;
        return _banks[_bank][reg];
    }
}
