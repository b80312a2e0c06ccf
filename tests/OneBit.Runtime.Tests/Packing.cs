namespace OneBit.Runtime.Tests;

/// <summary>The tests' own packing of level indices into planes (CONTRACT.md §2), written from the document.</summary>
public static class Packing
{
    public static uint[] PackLevels(int[] levels, int h, int w, int c, int bits)
    {
        int wpc = (c + 31) / 32;
        var planes = new uint[h * w * bits * wpc];
        for (int px = 0; px < h * w; px++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < bits; p++)
                    if (((levels[px * c + ch] >> p) & 1) == 1)
                        planes[(px * bits + p) * wpc + ch / 32] |= 1u << (ch % 32);
        return planes;
    }

    public static int[] UnpackLevels(uint[] planes, int h, int w, int c, int bits)
    {
        int wpc = (c + 31) / 32;
        var levels = new int[h * w * c];
        for (int px = 0; px < h * w; px++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < bits; p++)
                    if (((planes[(px * bits + p) * wpc + ch / 32] >> (ch % 32)) & 1) == 1)
                        levels[px * c + ch] |= 1 << p;
        return levels;
    }

    /// <summary>True when every bit beyond channel c in each pixel's last word is zero.</summary>
    public static bool PaddingBitsZero(uint[] planes, int pixelsTimesBits, int c)
    {
        int wpc = (c + 31) / 32;
        uint unused = (c % 32) == 0 ? 0u : ~((1u << (c % 32)) - 1);
        for (int i = 0; i < pixelsTimesBits; i++)
            if ((planes[i * wpc + wpc - 1] & unused) != 0) return false;
        return true;
    }
}
