namespace OneBit.Runtime.Model
{
    /// <summary>An embedded self-test: one input frame with the class and logits checksum it must produce.</summary>
    public sealed class TestVector
    {
        public int ExpectedClass;
        /// <summary>CRC-32 of the int32 logits in little-endian byte order.</summary>
        public uint LogitsCrc;
        /// <summary>H × W × C bytes, HWC order; null when the blob was read from an IBlobSource (the pixels stay there).</summary>
        public byte[] Pixels;
        /// <summary>Offset of the pixels in the blob.</summary>
        public int PixelOffset;
    }
}
