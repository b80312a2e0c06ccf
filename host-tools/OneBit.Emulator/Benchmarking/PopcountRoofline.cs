using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace OneBit.Emulator.Benchmarking;

/// <summary>
/// The ceiling for binary MACs on this CPU and thread: AND + popcount over two L1-resident word arrays, the
/// inner operation of every binary conv. Reported as bit-MACs per second (64 per 64-bit word).
/// </summary>
public static class PopcountRoofline
{
    public static double BitMacsPerSecond(double seconds = 0.3)
    {
        const int words = 1024;                      // 2 × 8 KB: stays in L1
        var a = new ulong[words];
        var b = new ulong[words];
        var rng = new Random(1);
        for (int i = 0; i < words; i++) { a[i] = (ulong)rng.NextInt64(); b[i] = (ulong)rng.NextInt64(); }
        long sink = 0, passes = 0;
        sink += Pass(a, b);                         // warm-up and JIT
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int r = 0; r < 64; r++) sink += Pass(a, b);
            passes += 64;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        GC.KeepAlive(sink);
        return passes * words * 64.0 / elapsed;
    }

    /// <summary>Four independent accumulators so the loop is bound by popcount throughput, not latency.</summary>
    private static long Pass(ulong[] a, ulong[] b)
    {
        long c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int i = 0; i < a.Length; i += 4)
        {
            c0 += BitOperations.PopCount(a[i] & b[i]);
            c1 += BitOperations.PopCount(a[i + 1] & b[i + 1]);
            c2 += BitOperations.PopCount(a[i + 2] & b[i + 2]);
            c3 += BitOperations.PopCount(a[i + 3] & b[i + 3]);
        }
        return c0 + c1 + c2 + c3;
    }

    public static string Describe() =>
        $"scalar 64-bit POPCNT, {Environment.ProcessorCount} logical CPUs, Vector512 hardware: {Vector512.IsHardwareAccelerated}";
}
