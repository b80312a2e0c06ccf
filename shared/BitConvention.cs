namespace OneBit.Runtime
{
    /// <summary>
    /// The one place that owns the bit convention (CONTRACT.md §1).
    /// Word = uint; channel c lives in word c >> 5, bit c &amp; 31 (bit 0 = least significant).
    /// Weight bit 1 = +1, bit 0 = −1. Bits of channels ≥ C in the last word are always zero.
    /// Popcount identity: Σ_c w_c·a_c = 2·popcount(W ∧ A) − popcount(A) for ±1 w and 0/1 a, because
    /// the c with a_c = 1 split into w = +1 (counted by W ∧ A) and w = −1 (the rest of popcount(A)).
    /// </summary>
    public static class BitConvention
    {
        public const int WordBits = 32;

        /// <summary>Words needed for <paramref name="channels"/> channels: ceil(C / 32).</summary>
        public static int WordsFor(int channels)
        {
            return (channels + WordBits - 1) >> 5;
        }

        public static int WordOf(int channel)
        {
            return channel >> 5;
        }

        public static uint MaskOf(int channel)
        {
            return 1u << (channel & 31);
        }

        /// <summary>Bits of the last word that hold real channels; the rest must be zero.</summary>
        public static uint LastWordMask(int channels)
        {
            int used = channels & 31;
            return used == 0 ? 0xFFFFFFFFu : (1u << used) - 1u;
        }

        public static bool GetBit(uint[] words, int offset, int channel)
        {
            return (words[offset + (channel >> 5)] & (1u << (channel & 31))) != 0;
        }

        public static void SetBit(uint[] words, int offset, int channel)
        {
            words[offset + (channel >> 5)] |= 1u << (channel & 31);
        }

        /// <summary>±1 value of a weight bit.</summary>
        public static int WeightSign(uint[] words, int offset, int channel)
        {
            return GetBit(words, offset, channel) ? 1 : -1;
        }

        /// <summary>Portable SWAR popcount (Hacker's Delight §5-1); the core may not use BitOperations.</summary>
        public static int PopCount(uint v)
        {
            v = v - ((v >> 1) & 0x55555555u);
            v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
            v = (v + (v >> 4)) & 0x0F0F0F0Fu;
            return (int)((v * 0x01010101u) >> 24);
        }

        /// <summary>Number of activation levels L = 2^bits.</summary>
        public static int Levels(int bits)
        {
            return 1 << bits;
        }

        public static bool IsSupportedActivationBits(int bits)
        {
            return bits == 1 || bits == 2 || bits == 4 || bits == 8;
        }
    }
}
