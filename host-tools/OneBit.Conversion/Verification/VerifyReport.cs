namespace OneBit.Conversion.Verification;

/// <summary>What `verify` measured: top-1 agreement, accuracy of both paths, and per-layer deviation.</summary>
public sealed class VerifyReport
{
    public int Images { get; set; }
    public int Agreements { get; set; }
    public int LabelledImages { get; set; }
    public int FloatCorrect { get; set; }
    public int IntegerCorrect { get; set; }
    public LayerDeviation[] Layers { get; set; } = Array.Empty<LayerDeviation>();

    public double Agreement => Images == 0 ? 0 : (double)Agreements / Images;
    public double FloatAccuracy => LabelledImages == 0 ? double.NaN : (double)FloatCorrect / LabelledImages;
    public double IntegerAccuracy => LabelledImages == 0 ? double.NaN : (double)IntegerCorrect / LabelledImages;
}

/// <summary>
/// Per layer: for numeric outputs the largest |float − integer·unit| in real units; for quantize layers the
/// fraction of activations whose level index differs (a threshold hit from the other side).
/// </summary>
public sealed class LayerDeviation
{
    public int Index { get; set; }
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public double MaxAbsDeviation { get; set; }
    public double MaxAbsValue { get; set; }
    public long LevelMismatches { get; set; }
    public long Elements { get; set; }
}
