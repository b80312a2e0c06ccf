using OneBit.Conversion.FloatReference;
using OneBit.ModelExport;

namespace OneBit.Conversion.Folding;

/// <summary>
/// Chooses b-bit quantizers for full-precision activations (the authors' BN models, or any export trained
/// without quantization): runs the float model on sample frames and sets each quantize op's Δ so that its
/// levels cover the given percentile of the observed (shifted) ReLU outputs.
/// </summary>
public static class Calibrator
{
    /// <param name="onlyFullPrecision">Leave ops that already have bits alone (true) or requantize all (false).</param>
    public static ExportedModel Calibrate(ExportedModel model, IEnumerable<byte[]> frames, int bits, double percentile = 99.99, bool onlyFullPrecision = true, IProgress<int>? progress = null)
    {
        if (bits is not (1 or 2 or 4 or 8)) throw new ArgumentException($"activation bits {bits}: 1, 2, 4 or 8");
        ExportedModel fp = CloneWithLayers(model, op => op.Op == LayerOps.Quantize && (!onlyFullPrecision || (op.Bits ?? 0) == 0)
            ? WithQuantizer(op, 0, null, null) : op);
        var samples = new Dictionary<int, List<float>>();
        var rng = new Random(1);
        var forward = new FloatForward(fp)
        {
            Observer = (i, values, h, w, c) =>
            {
                if (fp.Layers[i].Op != LayerOps.Quantize || (fp.Layers[i].Bits ?? 0) != 0) return;
                if (!samples.TryGetValue(i, out var list)) samples[i] = list = new List<float>();
                // A random subset per frame keeps memory bounded on wide layers.
                int take = Math.Min(values.Length, 4096);
                for (int k = 0; k < take; k++) list.Add((float)values[take == values.Length ? k : rng.Next(values.Length)]);
            },
        };
        int n = 0;
        foreach (byte[] frame in frames)
        {
            forward.Forward(frame);
            n++;
            progress?.Report(n);
        }
        if (n == 0) throw new ArgumentException("calibration needs at least one frame");

        int levels = (1 << bits) - 1;
        return CloneWithLayers(model, op =>
        {
            int i = model.Layers.IndexOf(op);
            if (!samples.TryGetValue(i, out var list)) return op;
            float[] sorted = list.ToArray();
            Array.Sort(sorted);
            double top = sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
            if (op.Activation == "srelu")
            {
                // Level 0 is −1, so Δ = 2/z with integer z (CONTRACT.md §2); cover −1 … top.
                double delta = Math.Max(top + 1, 1e-6) / levels;
                int z = Math.Max(1, (int)Math.Round(2 / delta));
                return WithQuantizer(op, bits, z, 2.0 / z);
            }
            return WithQuantizer(op, bits, 0, Math.Max(top, 1e-6) / levels);
        });
    }

    private static ExportedLayer WithQuantizer(ExportedLayer op, int bits, int? zero, double? delta) => new()
    {
        Op = op.Op, Name = op.Name, Source = op.Source, Activation = op.Activation, BatchNorm = op.BatchNorm,
        Bits = bits, ZeroCode = zero, Delta = delta,
    };

    private static ExportedModel CloneWithLayers(ExportedModel m, Func<ExportedLayer, ExportedLayer> map) => new()
    {
        FormatVersion = m.FormatVersion, Name = m.Name, CreatedUtc = m.CreatedUtc, Input = m.Input, ClassNames = m.ClassNames,
        Architecture = m.Architecture, Layers = m.Layers.Select(map).ToList(), Temperature = m.Temperature,
        Metrics = m.Metrics, Training = m.Training, Tensors = m.Tensors,
    };
}
