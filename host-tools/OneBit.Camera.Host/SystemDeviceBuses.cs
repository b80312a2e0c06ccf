using System;
using System.Device.I2c;
using System.Device.Spi;
using System.IO;
using OneBit.Camera.Bus;

namespace OneBit.Camera.Host
{
    /// <summary>
    /// <see cref="II2cBus"/> over <see cref="I2cDevice"/> (Linux i2c-dev on a Raspberry Pi). The Linux driver
    /// reports a NACK as an IOException; it becomes <see cref="BusFaultException"/> with <see cref="BusFault.Nack"/>.
    /// </summary>
    public sealed class SystemDeviceI2cBus : II2cBus, IDisposable
    {
        private readonly I2cDevice _device;

        public SystemDeviceI2cBus(I2cDevice device)
        {
            _device = device ?? throw new ArgumentNullException(nameof(device));
        }

        /// <summary>Opens bus <paramref name="busId"/> (e.g. 1 on a Raspberry Pi) at the OV2640's address 0x30.</summary>
        public static SystemDeviceI2cBus Open(int busId, int address = 0x30)
        {
            return new SystemDeviceI2cBus(I2cDevice.Create(new I2cConnectionSettings(busId, address)));
        }

        public int Address => _device.ConnectionSettings.DeviceAddress;

        public void Write(byte[] buffer) => Run(() => _device.Write(buffer), "write");

        public void Read(byte[] buffer) => Run(() => _device.Read(buffer), "read");

        public void WriteRead(byte[] writeBuffer, byte[] readBuffer) => Run(() => _device.WriteRead(writeBuffer, readBuffer), "write-read");

        private void Run(Action transfer, string what)
        {
            try
            {
                transfer();
            }
            catch (TimeoutException e)
            {
                throw new BusFaultException(BusFault.Timeout, "I2C " + what + " at 0x" + Address.ToString("X2") + " timed out", e);
            }
            catch (IOException e)
            {
                throw new BusFaultException(BusFault.Nack, "I2C " + what + " at 0x" + Address.ToString("X2") + " failed: " + e.Message, e);
            }
        }

        public void Dispose() => _device.Dispose();
    }

    /// <summary><see cref="ISpiBus"/> over <see cref="SpiDevice"/> (Linux spidev; chip select per transfer).</summary>
    public sealed class SystemDeviceSpiBus : ISpiBus, IDisposable
    {
        private readonly SpiDevice _device;

        public SystemDeviceSpiBus(SpiDevice device)
        {
            _device = device ?? throw new ArgumentNullException(nameof(device));
        }

        /// <summary>SPI mode 0, MSB first, 4 MHz (ArduCAM ESP32 sketch: SPI.setFrequency(4000000)).</summary>
        public static SystemDeviceSpiBus Open(int busId, int chipSelectLine, int clockHz = 4_000_000)
        {
            var settings = new SpiConnectionSettings(busId, chipSelectLine)
            {
                ClockFrequency = clockHz,
                Mode = SpiMode.Mode0,
                DataFlow = DataFlow.MsbFirst,
            };
            return new SystemDeviceSpiBus(SpiDevice.Create(settings));
        }

        public void Write(byte[] buffer) => Run(() => _device.Write(buffer), "write");

        public void TransferFullDuplex(byte[] writeBuffer, byte[] readBuffer) => Run(() => _device.TransferFullDuplex(writeBuffer, readBuffer), "transfer");

        private static void Run(Action transfer, string what)
        {
            try
            {
                transfer();
            }
            catch (TimeoutException e)
            {
                throw new BusFaultException(BusFault.Timeout, "SPI " + what + " timed out", e);
            }
            catch (IOException e)
            {
                throw new BusFaultException(BusFault.Other, "SPI " + what + " failed: " + e.Message, e);
            }
        }

        public void Dispose() => _device.Dispose();
    }
}
