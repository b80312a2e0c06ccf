namespace OneBit.Camera.Bus
{
    /// <summary>
    /// One I2C device at a fixed 7-bit address: the subset of <c>System.Device.I2c.I2cDevice</c> the drivers use,
    /// with arrays instead of spans so the same driver source compiles for nanoFramework (SpanByte) and .NET
    /// (Span&lt;byte&gt;). Implementations transfer whole arrays and throw <see cref="BusFaultException"/> on
    /// NACK, timeout or a short transfer; they never return partial data silently.
    /// </summary>
    public interface II2cBus
    {
        /// <summary>7-bit address the bus talks to.</summary>
        int Address { get; }

        /// <summary>START, address+W, all bytes of <paramref name="buffer"/>, STOP.</summary>
        void Write(byte[] buffer);

        /// <summary>START, address+R, fills all of <paramref name="buffer"/>, STOP.</summary>
        void Read(byte[] buffer);

        /// <summary>Write then repeated START and read, as <c>I2cDevice.WriteRead</c>.</summary>
        void WriteRead(byte[] writeBuffer, byte[] readBuffer);
    }
}
