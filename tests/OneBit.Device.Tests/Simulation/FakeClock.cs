using OneBit.Camera;

namespace OneBit.Device.Tests.Simulation;

/// <summary>A clock that only moves when slept on (plus an optional step per reading): timeouts without waiting.</summary>
public sealed class FakeClock : IClock
{
    public long Now;
    /// <summary>Added to <see cref="Now"/> at every reading (simulates work taking time).</summary>
    public long StepPerReading;
    public readonly List<int> Sleeps = new();
    public bool Record = true;

    public long Milliseconds
    {
        get
        {
            long t = Now;
            Now += StepPerReading;
            return t;
        }
    }

    public void Sleep(int milliseconds)
    {
        if (Record) Sleeps.Add(milliseconds);
        Now += milliseconds;
    }
}
