namespace OneBit.Runtime.Execution
{
    /// <summary>The two rounding rules of CONTRACT.md §5, both round half up, in 64-bit.</summary>
    public static class FixedPoint
    {
        /// <summary>(v + 2^(n−1)) >> n with an arithmetic shift; v when n = 0.</summary>
        public static long RoundShift(long v, int n)
        {
            return n == 0 ? v : (v + (1L << (n - 1))) >> n;
        }

        /// <summary>floor((2·sum + n) / (2·n)) for n > 0: the average-pool rounding.</summary>
        public static long RoundDiv(long sum, int n)
        {
            long num = 2 * sum + n;
            long den = 2L * n;
            long q = num / den;
            // C# division truncates toward zero; step down for negative non-exact quotients to get floor.
            if (num % den != 0 && num < 0) q--;
            return q;
        }

        public static int ClampToInt32(long v)
        {
            if (v > int.MaxValue) return int.MaxValue;
            if (v < int.MinValue) return int.MinValue;
            return (int)v;
        }
    }
}
