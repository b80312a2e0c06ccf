namespace OneBit.Training;

/// <summary>
/// Cosine learning-rate decay per iteration (Loshchilov &amp; Hutter 2017, SGDR), as used by McDonnell 2018
/// §3 / 2019 §4: lr = lrMin + ½(lr0 − lrMin)(1 + cos(π·t/T)) with t the position inside the current cycle.
/// Without restarts one cycle spans the whole run. With warm restarts the cycles last
/// FirstCycle, 2·FirstCycle, 4·FirstCycle … epochs (restarts after epochs 2, 6, 14, 30, … for 2).
/// </summary>
public sealed record LearningRateSchedule(double BaseLr, double MinLr, int Epochs, bool WarmRestarts, int FirstCycle = 2, int CycleMultiplier = 2)
{
    /// <summary>Learning rate for iteration <paramref name="step"/> of <paramref name="stepsPerEpoch"/> in <paramref name="epoch"/> (0-based).</summary>
    public double At(int epoch, int step, int stepsPerEpoch)
    {
        var (start, length) = Cycle(epoch);
        double t = (epoch - start) + (double)step / stepsPerEpoch;
        return MinLr + 0.5 * (BaseLr - MinLr) * (1 + Math.Cos(Math.PI * t / length));
    }

    /// <summary>First epoch and length (epochs) of the cycle containing <paramref name="epoch"/>.</summary>
    public (int Start, int Length) Cycle(int epoch)
    {
        if (!WarmRestarts) return (0, Epochs);
        int start = 0, len = Math.Max(1, FirstCycle);
        while (epoch >= start + len) { start += len; len *= Math.Max(1, CycleMultiplier); }
        return (start, len);
    }

    /// <summary>Epoch counts at which a run with warm restarts ends a cycle (2, 6, 14, 30, … for FirstCycle 2).</summary>
    public static IEnumerable<int> CycleEnds(int firstCycle, int multiplier = 2)
    {
        int end = 0, len = firstCycle;
        while (true) { end += len; yield return end; len *= multiplier; }
    }
}
