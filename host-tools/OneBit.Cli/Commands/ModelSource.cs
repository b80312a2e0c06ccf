using OneBit.Conversion.Importers;
using OneBit.ModelExport;

namespace OneBit.Cli.Commands;

/// <summary>Loads the float model a conversion starts from: a trainer export (.obmx) or an imported published model.</summary>
public static class ModelSource
{
    public static ExportedModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no such model file: {path}");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ModelExportFormat.FileExtension => ModelExportReader.Read(path),
            ".mat" => FloatNetworkOps.ToOps(PublishedModelImporter.Import(path)),
            _ => throw new NotSupportedException($"{path}: unknown model format '{ext}' (expected {ModelExportFormat.FileExtension} from `onebit train`, or a published .mat model)"),
        };
    }
}
