using OneBit.ModelExport;

namespace OneBit.Conversion.FloatReference;

/// <summary>Batch norm in inference form, per channel: y = γ·(x − μ)/sqrt(σ² + ε) + β = Scale·x + Offset.</summary>
public sealed class BatchNormFold
{
    public required double[] Scale { get; init; }
    public required double[] Offset { get; init; }

    public double Apply(double x, int channel) => Scale[channel] * x + Offset[channel];

    public static BatchNormFold From(ExportedModel model, ExportedBatchNorm bn)
    {
        float[] mean = model.Tensor(bn.Mean).Data, var = model.Tensor(bn.Var).Data;
        float[]? gamma = bn.Gamma == null ? null : model.Tensor(bn.Gamma).Data, beta = bn.Beta == null ? null : model.Tensor(bn.Beta).Data;
        var scale = new double[mean.Length];
        var offset = new double[mean.Length];
        for (int c = 0; c < mean.Length; c++)
        {
            scale[c] = (gamma?[c] ?? 1.0) / Math.Sqrt(var[c] + bn.Eps);
            offset[c] = (beta?[c] ?? 0.0) - mean[c] * scale[c];
        }
        return new BatchNormFold { Scale = scale, Offset = offset };
    }
}
