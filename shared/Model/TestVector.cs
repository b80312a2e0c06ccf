namespace OneBit.Runtime.Model
{
    /// <summary>An embedded self-test: one input frame with the class and logits checksum it must produce.</summary>
    public sealed class TestVector
    {
        public int ExpectedClass;
        /// <summary>CRC-32 of the int32 logits in little-endian byte order.</summary>
        public uint LogitsCrc;
        /// <summary>H × W × C bytes, HWC order.</summary>
        public byte[] Pixels;
    }
}
