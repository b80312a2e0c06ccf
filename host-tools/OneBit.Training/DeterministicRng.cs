namespace OneBit.Training;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018), seeded by SplitMix64. Used for shuffling and augmentation.
/// The trainer derives one generator per epoch from (seed, epoch), so the random stream of epoch e does
/// not depend on how the run got there: a resumed run draws exactly what an uninterrupted one would.
/// </summary>
public sealed class DeterministicRng
{
    ulong _s0, _s1, _s2, _s3;

    public DeterministicRng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    public static DeterministicRng ForEpoch(long seed, int epoch) => new((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(epoch + 1) * 0xD1B54A32D192ED03UL);

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = BitOperationsRotl(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t; _s3 = BitOperationsRotl(_s3, 45);
        return result;
    }

    static ulong BitOperationsRotl(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift; bias below 2^−32 for n &lt; 2^32).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    public void Shuffle(int[] a)
    {
        for (int i = a.Length - 1; i > 0; i--) { int j = Next(i + 1); (a[i], a[j]) = (a[j], a[i]); }
    }
}
