using System;
using System.Threading;

namespace OneBit.Camera
{
    /// <summary>Milliseconds and sleeping, behind an interface so tests can run timeouts without waiting.</summary>
    public interface IClock
    {
        /// <summary>A monotonic-enough millisecond count (only differences are used).</summary>
        long Milliseconds { get; }

        void Sleep(int milliseconds);
    }

    /// <summary>The real clock: DateTime.UtcNow and Thread.Sleep (both in nanoFramework's mscorlib).</summary>
    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();

        public long Milliseconds { get { return DateTime.UtcNow.Ticks / 10000; } }

        public void Sleep(int milliseconds)
        {
            if (milliseconds > 0) Thread.Sleep(milliseconds);
        }
    }
}
