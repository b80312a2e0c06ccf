namespace OneBit.Runtime.Tests;

/// <summary>
/// Measures managed allocation of an action on this thread. The runtime itself occasionally allocates on a thread
/// that is running hot code (tiered re-compilation, on-stack replacement), so a single reading can be non-zero
/// without the code under test allocating; the least of a few attempts is what the code allocates.
/// </summary>
public static class AllocationProbe
{
    public static long LeastBytesPerAttempt(Action action, int attempts = 5)
    {
        long least = long.MaxValue;
        for (int i = 0; i < attempts && least > 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
