namespace OneBit.Runtime
{
    /// <summary>CRC-32 of IEEE 802.3 (reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF), as in zlib.</summary>
    public static class Crc32
    {
        private static uint[] _table;

        private static uint[] Table()
        {
            if (_table != null) return _table;
            uint[] t = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                t[i] = c;
            }
            _table = t;
            return t;
        }

        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start(), data, offset, count));
        }

        public static uint Start()
        {
            return 0xFFFFFFFFu;
        }

        public static uint Update(uint state, byte[] data, int offset, int count)
        {
            uint[] t = Table();
            int end = offset + count;
            for (int i = offset; i < end; i++) state = t[(state ^ data[i]) & 0xFF] ^ (state >> 8);
            return state;
        }

        /// <summary>Feeds an int32 in little-endian byte order (how logits are checksummed).</summary>
        public static uint UpdateInt32(uint state, int value)
        {
            uint[] t = Table();
            for (int i = 0; i < 4; i++)
            {
                state = t[(state ^ (uint)(value >> (8 * i))) & 0xFF] ^ (state >> 8);
            }
            return state;
        }

        public static uint Finish(uint state)
        {
            return state ^ 0xFFFFFFFFu;
        }
    }
}
