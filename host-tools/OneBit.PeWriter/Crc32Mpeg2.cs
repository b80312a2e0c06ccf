namespace OneBit.PeWriter;

/// <summary>
/// CRC-32/MPEG-2 (polynomial 0x04C11DB7, MSB first, no reflection, no final xor) with the seed given by the
/// caller: the CRC the firmware checks in CLR_RECORD_ASSEMBLY::GoodHeader/GoodAssembly (seed 0) and the wire
/// protocol's. Not the IEEE CRC-32 of blobs and model exports (OneBit.Runtime.Crc32, reflected 0xEDB88320).
/// </summary>
public static class Crc32Mpeg2
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }

            table[i] = c;
        }

        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data, uint seed = 0)
    {
        uint crc = seed;
        foreach (byte b in data)
        {
            crc = Table[((crc >> 24) ^ b) & 0xFF] ^ (crc << 8);
        }

        return crc;
    }
}
