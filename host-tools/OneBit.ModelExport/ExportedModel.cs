using System.Text.Json.Serialization;

namespace OneBit.ModelExport;

// The typed form of an export file's JSON header (FORMAT.md beside this file is the normative text).
// Everything a converter needs to fold a trained float model into the integer contract (CONTRACT.md)
// is here; tensor data lives in ExportedTensor.Data, little-endian float32, row-major.

/// <summary>A trained network as the trainer hands it to the converter.</summary>
public sealed class ExportedModel
{
    public int FormatVersion { get; set; } = ModelExportFormat.Version;
    public string Name { get; set; } = "";
    public string CreatedUtc { get; set; } = "";
    public ExportedInput Input { get; set; } = new();
    public string[] ClassNames { get; set; } = Array.Empty<string>();
    public ExportedArchitecture Architecture { get; set; } = new();
    /// <summary>Ops in execution order; see FORMAT.md §3 for the real-valued meaning of each.</summary>
    public List<ExportedLayer> Layers { get; set; } = new();
    /// <summary>Logit temperature T: logits = GAP(head conv) / T.</summary>
    public double Temperature { get; set; } = 1.0;
    public ExportedMetrics Metrics { get; set; } = new();
    /// <summary>Free-form provenance: command line, epochs, wall time, seed, hyperparameters.</summary>
    public Dictionary<string, string> Training { get; set; } = new();
    [JsonIgnore] public List<ExportedTensor> Tensors { get; set; } = new();

    public ExportedTensor Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new ModelExportFormatException($"tensor '{name}' is referenced but not stored in the file");

    /// <summary>The quantize ops in execution order.</summary>
    [JsonIgnore] public IEnumerable<ExportedLayer> Quantizers => Layers.Where(l => l.Op == LayerOps.Quantize);
}

/// <summary>Input image and the per-channel input affine x_c = Alpha[c]·u + Beta[c] on pixels u ∈ 0…255.</summary>
public sealed class ExportedInput
{
    public int Height { get; set; }
    public int Width { get; set; }
    public int Channels { get; set; }
    /// <summary>Pixel statistics the affine was derived from (Alpha = 1/Std, Beta = −Mean/Std).</summary>
    public double[] Mean { get; set; } = Array.Empty<double>();
    public double[] Std { get; set; } = Array.Empty<double>();
    public double[] Alpha { get; set; } = Array.Empty<double>();
    public double[] Beta { get; set; } = Array.Empty<double>();
}

public sealed class ExportedArchitecture
{
    /// <summary>"resnet_srelu" (McDonnell 2019) or "resnet_bn" (McDonnell 2018, BN without scale/offset).</summary>
    public string Family { get; set; } = "";
    public int Depth { get; set; }
    public int Width { get; set; }
    public int BlocksPerStage { get; set; }
    public int[] StageChannels { get; set; } = Array.Empty<int>();
    public int Classes { get; set; }
    /// <summary>Activation bits b (0 = full precision) used by every quantize op.</summary>
    public int Bits { get; set; }
    public long ParameterCount { get; set; }
}

public static class LayerOps
{
    public const string Stem = "stem", Quantize = "quantize", Conv = "conv", Residual = "residual", GlobalPool = "globalpool";
}

/// <summary>One op. Fields not used by an op are left at their defaults and omitted from JSON.</summary>
public sealed class ExportedLayer
{
    public string Op { get; set; } = "";
    public string Name { get; set; } = "";

    // stem / conv
    /// <summary>Latent float weights [Cout, Cin, k, k]; the binary weight is Scale·(W ≥ 0 ? +1 : −1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Weight { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Kernel { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Stride { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int PadTop { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int PadLeft { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int InChannels { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int OutChannels { get; set; }
    /// <summary>m = sqrt(2/(k·k·Cin)) (McDonnell 2018 §2.1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public double Scale { get; set; }

    // quantize
    /// <summary>"stream" (residual stream) or "acc" (previous conv output).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Source { get; set; }
    /// <summary>"srelu" (max(x, −1)) or "relu".</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Activation { get; set; }
    /// <summary>b ∈ {1,2,4,8}; 0 = no quantization (full precision).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Bits { get; set; }
    /// <summary>Zero code z: level j is (Δ/2)(2j − z) (CONTRACT.md §2).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ZeroCode { get; set; }
    /// <summary>Level spacing Δ.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Delta { get; set; }
    /// <summary>Learned step s > 0 (FORMAT.md §3): the quantizer reads y/s and level a_j stands for s·a_j; absent = 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Step { get; set; }

    // quantize (BN models) / globalpool (BN head): (x − Mean) / sqrt(Var + Eps), no scale/offset
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExportedBatchNorm? BatchNorm { get; set; }

    // residual
    /// <summary>"identity" or "avgpool3x3s2" (count_include_pad = false, zero channels appended).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Shortcut { get; set; }
    /// <summary>Gain g on the branch: S = shortcut(S) + g·A; absent = 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Gain { get; set; }

    // globalpool
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Classes { get; set; }
}

public sealed class ExportedBatchNorm
{
    public string Mean { get; set; } = "";
    public string Var { get; set; } = "";
    public double Eps { get; set; }
    /// <summary>Optional learned scale γ and offset β (imported published models); absent means 1 and 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Gamma { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Beta { get; set; }
}

public sealed class ExportedMetrics
{
    public double ValidationAccuracy { get; set; }
    public int ValidationCount { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TestAccuracy { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? TestCount { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Dataset { get; set; }
}

/// <summary>A named float32 tensor, row-major.</summary>
public sealed class ExportedTensor
{
    public string Name { get; set; } = "";
    public long[] Shape { get; set; } = Array.Empty<long>();
    public float[] Data { get; set; } = Array.Empty<float>();

    public ExportedTensor() { }
    public ExportedTensor(string name, long[] shape, float[] data)
    {
        long n = 1; foreach (long d in shape) n *= d;
        if (n != data.Length) throw new ArgumentException($"tensor '{name}': shape [{string.Join(",", shape)}] holds {n} values, data has {data.Length}");
        Name = name; Shape = shape; Data = data;
    }
}

public sealed class ModelExportFormatException : Exception
{
    public ModelExportFormatException(string message) : base(message) { }
}
