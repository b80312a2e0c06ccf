using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Emulator;

/// <summary>Accuracy, per-class accuracy and confusion matrix of a network over labelled frames.</summary>
public sealed class EvaluationResult
{
    public required string[] ClassNames { get; init; }
    /// <summary>[true class, predicted class] counts.</summary>
    public required long[,] Confusion { get; init; }
    public required int[] Predictions { get; init; }
    public double Seconds { get; init; }
    public int Threads { get; init; }

    public long Total => Predictions.Length;
    public long Correct { get { long c = 0; for (int i = 0; i < ClassNames.Length; i++) c += Confusion[i, i]; return c; } }
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public double ClassAccuracy(int k)
    {
        long n = 0;
        for (int j = 0; j < ClassNames.Length; j++) n += Confusion[k, j];
        return n == 0 ? double.NaN : (double)Confusion[k, k] / n;
    }
}

public static class Evaluation
{
    /// <summary>
    /// Classifies every frame (a frame i is <paramref name="frame"/>(i), HWC bytes of the network's input size)
    /// on <paramref name="threads"/> runners in parallel; results do not depend on the thread count.
    /// </summary>
    public static EvaluationResult Run(Network net, int count, Func<int, ReadOnlyMemory<byte>> frame, Func<int, int> label,
        Func<NetworkRunner> runner, int threads = 1, IProgress<int>? progress = null)
    {
        var predictions = new int[count];
        int done = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int chunk = Math.Max(1, count / Math.Max(1, threads * 8));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, chunk), options,
            () => (runner: runner(), buffer: new byte[net.InputBytes]),
            (range, _, state) =>
            {
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    frame(i).Span.CopyTo(state.buffer);
                    predictions[i] = state.runner.Run(state.buffer);
                }
                progress?.Report(Interlocked.Add(ref done, range.Item2 - range.Item1));
                return state;
            },
            _ => { });
        var confusion = new long[net.ClassCount, net.ClassCount];
        for (int i = 0; i < count; i++)
        {
            int truth = label(i);
            if (truth < 0 || truth >= net.ClassCount) throw new ArgumentException($"frame {i}: label {truth} outside the model's {net.ClassCount} classes");
            confusion[truth, predictions[i]]++;
        }
        return new EvaluationResult { ClassNames = net.ClassNames, Confusion = confusion, Predictions = predictions, Seconds = clock.Elapsed.TotalSeconds, Threads = threads };
    }
}
