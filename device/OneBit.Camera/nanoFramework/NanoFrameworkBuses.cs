// HARDWARE-ONLY: compiled only by the Visual Studio project device/OneBit.App/OneBit.App.nfproj (needs the NuGet
// packages nanoFramework.System.Device.I2c and nanoFramework.System.Device.Spi, which are not in this build's
// package mirror). The CI compile check excludes this folder. Keep it to the adapter, nothing else.
using System;
using System.Device.I2c;
using System.Device.Spi;
using OneBit.Camera.Bus;

namespace OneBit.Camera.NanoFramework
{
    /// <summary><see cref="II2cBus"/> over nanoFramework's I2cDevice: a status other than FullTransfer becomes a BusFaultException.</summary>
    public sealed class NanoI2cBus : II2cBus
    {
        private readonly I2cDevice _device;
        private readonly int _address;

        public NanoI2cBus(int busId, int address)
        {
            _address = address;
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.StandardMode));
        }

        public int Address { get { return _address; } }

        public void Write(byte[] buffer)
        {
            Check(_device.Write(new SpanByte(buffer)), buffer.Length, "write");
        }

        public void Read(byte[] buffer)
        {
            Check(_device.Read(new SpanByte(buffer)), buffer.Length, "read");
        }

        public void WriteRead(byte[] writeBuffer, byte[] readBuffer)
        {
            Check(_device.WriteRead(new SpanByte(writeBuffer), new SpanByte(readBuffer)), writeBuffer.Length + readBuffer.Length, "write-read");
        }

        private void Check(I2cTransferResult result, int expected, string what)
        {
            string where = "I2C " + what + " at 0x" + _address.ToString("X2");
            switch (result.Status)
            {
                case I2cTransferStatus.FullTransfer:
                    return;
                case I2cTransferStatus.SlaveAddressNotAcknowledged:
                    throw new BusFaultException(BusFault.Nack, where + ": address not acknowledged");
                case I2cTransferStatus.ClockStretchTimeout:
                    throw new BusFaultException(BusFault.Timeout, where + ": clock stretch timeout");
                case I2cTransferStatus.PartialTransfer:
                    throw new BusFaultException(BusFault.ShortTransfer, where + ": " + result.BytesTransferred.ToString() + " of " + expected.ToString() + " bytes");
                default:
                    throw new BusFaultException(BusFault.Other, where + ": status " + ((int)result.Status).ToString());
            }
        }
    }

    /// <summary><see cref="ISpiBus"/> over nanoFramework's SpiDevice (the driver toggles chip select per call).</summary>
    public sealed class NanoSpiBus : ISpiBus
    {
        private readonly SpiDevice _device;

        /// <summary>SPI mode 0, MSB first; <paramref name="clockHz"/> 4 MHz as the ArduCAM ESP32 sketch uses.</summary>
        public NanoSpiBus(int busId, int chipSelectPin, int clockHz)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(busId, chipSelectPin);
            settings.ClockFrequency = clockHz;
            settings.Mode = SpiMode.Mode0;
            settings.DataFlow = DataFlow.MsbFirst;
            _device = SpiDevice.Create(settings);
        }

        public void Write(byte[] buffer)
        {
            try
            {
                _device.Write(new SpanByte(buffer));
            }
            catch (Exception e)
            {
                throw new BusFaultException(BusFault.Other, "SPI write failed", e);
            }
        }

        public void TransferFullDuplex(byte[] writeBuffer, byte[] readBuffer)
        {
            try
            {
                _device.TransferFullDuplex(new SpanByte(writeBuffer), new SpanByte(readBuffer));
            }
            catch (Exception e)
            {
                throw new BusFaultException(BusFault.Other, "SPI transfer failed", e);
            }
        }
    }
}
