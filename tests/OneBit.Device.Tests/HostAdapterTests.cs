using System.Device.I2c;
using OneBit.Camera.Bus;
using OneBit.Camera.Host;

namespace OneBit.Device.Tests;

/// <summary>The System.Device.I2c adapter maps the Linux driver's exceptions to bus faults.</summary>
public class HostAdapterTests
{
    private sealed class FailingI2cDevice : I2cDevice
    {
        private readonly Exception _error;
        public FailingI2cDevice(Exception error) => _error = error;
        public override I2cConnectionSettings ConnectionSettings { get; } = new I2cConnectionSettings(1, 0x30);
        public override byte ReadByte() => throw _error;
        public override void Read(Span<byte> buffer) => throw _error;
        public override void WriteByte(byte value) => throw _error;
        public override void Write(ReadOnlySpan<byte> buffer) => throw _error;
        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw _error;
    }

    [Fact]
    public void AnIoErrorIsANackAndATimeoutIsATimeout()
    {
        var nack = new SystemDeviceI2cBus(new FailingI2cDevice(new IOException("Error 121 performing I2C data transfer.")));
        var e = Assert.Throws<BusFaultException>(() => nack.Write(new byte[] { 0xFF, 1 }));
        Assert.Equal(BusFault.Nack, e.Fault);
        Assert.Contains("0x30", e.Message);
        var slow = new SystemDeviceI2cBus(new FailingI2cDevice(new TimeoutException()));
        Assert.Equal(BusFault.Timeout, Assert.Throws<BusFaultException>(() => slow.Read(new byte[1])).Fault);
        Assert.Equal(0x30, nack.Address);
    }
}
