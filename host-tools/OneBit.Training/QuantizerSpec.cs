namespace OneBit.Training;

public enum ActivationKind { ShiftedRelu, Relu }

/// <summary>
/// The activation quantizer of CONTRACT.md §2–§3: level j stands for a_j = (Δ/2)(2j − z) and
/// j = clamp(floor(x/Δ + (z+1)/2), 0, L−1) (round half up, then clamp), L = 2^b.
/// Shifted ReLU (McDonnell 2019 §3): level 0 is the ReLU floor −1, so Δ = 2/z with z a positive integer;
/// z = 2^b − 1 makes the levels span [−1, 1] exactly. ReLU (BN models): z = 0, a_j = Δ·j.
/// Bits = 0 means full precision: the activation only, no quantization.
/// </summary>
public sealed record QuantizerSpec(ActivationKind Kind, int Bits, int ZeroCode, double Delta)
{
    public int Levels => Bits == 0 ? 0 : 1 << Bits;
    public bool FullPrecision => Bits == 0;

    /// <summary>Real value of level j.</summary>
    public double Level(int j) => Delta / 2 * (2 * j - ZeroCode);

    /// <summary>Scalar reference of the quantizer (the tensor version is <see cref="ActivationQuantizer"/>).</summary>
    public int LevelIndex(double x)
    {
        double j = Math.Floor(x / Delta + (ZeroCode + 1) / 2.0);
        return (int)Math.Clamp(j, 0, Levels - 1);
    }

    /// <summary>Threshold t_k = Δ(k − (z+1)/2): j ≥ k ⟺ x ≥ t_k.</summary>
    public double Threshold(int k) => Delta * (k - (ZeroCode + 1) / 2.0);

    public static QuantizerSpec Create(ActivationKind kind, int bits, int? zeroCode, double reluClip = 2.0)
    {
        if (bits == 0) return new QuantizerSpec(kind, 0, kind == ActivationKind.ShiftedRelu ? 0 : 0, 0);
        if (bits is not (1 or 2 or 4 or 8)) throw new ArgumentException($"bits {bits} not in {{1, 2, 4, 8}}");
        int levels = 1 << bits;
        if (kind == ActivationKind.ShiftedRelu)
        {
            int z = zeroCode ?? levels - 1;
            if (z < 1) throw new ArgumentException("shifted ReLU needs a zero code z ≥ 1 (Δ = 2/z puts level 0 at −1)");
            return new QuantizerSpec(kind, bits, z, 2.0 / z);
        }
        int zr = zeroCode ?? 0;
        if (zr != 0) throw new ArgumentException("ReLU (batch-norm) quantizers use z = 0 (level 0 is the real value 0)");
        if (reluClip <= 0) throw new ArgumentException("ReLU clip must be > 0");
        return new QuantizerSpec(kind, bits, 0, reluClip / (levels - 1));
    }
}
