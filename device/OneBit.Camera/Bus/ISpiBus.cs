namespace OneBit.Camera.Bus
{
    /// <summary>
    /// One SPI device with its chip select: the subset of <c>System.Device.Spi.SpiDevice</c> the drivers use, with
    /// arrays instead of spans (see <see cref="II2cBus"/>). Chip select is asserted for the whole of each call and
    /// released after it. Implementations throw <see cref="BusFaultException"/> on failure.
    /// </summary>
    public interface ISpiBus
    {
        /// <summary>Clocks out all bytes of <paramref name="buffer"/>; what comes back is discarded.</summary>
        void Write(byte[] buffer);

        /// <summary>
        /// Clocks out <paramref name="writeBuffer"/> while filling <paramref name="readBuffer"/> (same length):
        /// readBuffer[i] is the byte received while writeBuffer[i] was sent, as <c>SpiDevice.TransferFullDuplex</c>.
        /// </summary>
        void TransferFullDuplex(byte[] writeBuffer, byte[] readBuffer);
    }
}
