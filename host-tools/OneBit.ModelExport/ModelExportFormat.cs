using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneBit.ModelExport;

/// <summary>Constants and JSON settings shared by <see cref="ModelExportWriter"/> and <see cref="ModelExportReader"/>.</summary>
public static class ModelExportFormat
{
    /// <summary>File magic "OBMX" (bytes in file order).</summary>
    public static ReadOnlySpan<byte> Magic => "OBMX"u8;
    public const int Version = 1;
    public const int HeaderSize = 32;
    public const string FileExtension = ".obmx";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Tensor directory entry in the JSON header.</summary>
    internal sealed class TensorEntry
    {
        public string Name { get; set; } = "";
        public long[] Shape { get; set; } = Array.Empty<long>();
        /// <summary>Byte offset of the first value from the start of the data section.</summary>
        public long Offset { get; set; }
        public long Count { get; set; }
    }

    internal sealed class Header
    {
        public ExportedModel Model { get; set; } = new();
        public List<TensorEntry> Tensors { get; set; } = new();
    }
}
