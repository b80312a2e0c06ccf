namespace OneBit.Runtime.Blob
{
    /// <summary>Constants of blob format v1 (CONTRACT.md §8).</summary>
    public static class BlobFormat
    {
        public const int Version = 1;
        public const int HeaderSize = 32;
        /// <summary>Bytes 'O','B','N','B' read as a little-endian u32.</summary>
        public const uint Magic = 0x424E424Fu;
        public const int CrcOffset = 12;
        /// <summary>The CRC covers bytes CrcCoveredFrom … end.</summary>
        public const int CrcCoveredFrom = 16;

        public const uint TagMeta = 0x4154454Du;   // "META"
        public const uint TagLayer = 0x5259414Cu;  // "LAYR"
        public const uint TagTestVector = 0x43455654u; // "TVEC"

        public const int MaxSpatial = 1024;
        public const int MaxChannels = 8192;
        public const int MaxClasses = 10000;
        public const int MaxNameLength = 64;
        public const int MaxStreamFracBits = 24;
        public const int MaxShift = 62;
        /// <summary>Largest offset shift k of record kind 7: |B'·2^k| &lt; 2^23·2^40 = 2^63 stays inside int64.</summary>
        public const int MaxOffsetShift = 40;
        /// <summary>Signed 24-bit range of M and B' in record kind 7: −2^23 … 2^23 − 1.</summary>
        public const int Min24 = -(1 << 23);
        public const int Max24 = (1 << 23) - 1;

        /// <summary>Default budget for host use; devices pass their own (e.g. 96 KB).</summary>
        public const long DefaultMemoryBudget = 512L * 1024 * 1024;

        public static string TagName(uint tag)
        {
            char[] c = new char[4];
            for (int i = 0; i < 4; i++)
            {
                int b = (int)((tag >> (8 * i)) & 0xFF);
                c[i] = b >= 0x20 && b <= 0x7E ? (char)b : '?';
            }
            return new string(c);
        }
    }
}
