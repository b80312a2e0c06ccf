using System.Diagnostics;
using OneBit.Runtime.Execution;

namespace OneBit.Emulator.Benchmarking;

/// <summary>Accumulates the time between the runner's after-layer callbacks: per-layer wall time without changing the runner.</summary>
public sealed class LayerTimer : ILayerObserver
{
    private readonly long[] _ticks;
    private long _last;

    public LayerTimer(int layers) { _ticks = new long[layers]; }

    public int Frames { get; private set; }

    public void StartFrame() { _last = Stopwatch.GetTimestamp(); Frames++; }

    public void AfterLayer(int layerIndex, int[] stream, uint[] planes, int[] accumulator, int[] logits)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[layerIndex] += now - _last;
        _last = now;
    }

    /// <summary>Mean seconds per frame spent in each layer.</summary>
    public double[] SecondsPerFrame() => _ticks.Select(t => (double)t / Stopwatch.Frequency / Math.Max(1, Frames)).ToArray();
}
