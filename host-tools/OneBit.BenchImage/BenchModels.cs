using System.Text;
using System.Text.RegularExpressions;
using OneBit.DeviceBuild;
using OneBit.Runtime.Blob;

namespace OneBit.BenchImage;

/// <summary>A real model for the bench: its name in the bench output and the blob, unchanged.</summary>
public sealed record BenchModel(string Name, byte[] Blob);

/// <summary>
/// Puts real model blobs into OneBit.Bench.pe as binary resources, by the route device/OneBit.App uses
/// (host-tools/OneBit.DeviceBuild ModelEmbedding.EmbedResource, then the .pe writer's resource tables). One resource
/// file, one entry per model under its name, plus an index entry with the names, because nanoCLR can look entries
/// up by id but not list them. The bench side is device/OneBit.Bench/EmbeddedModels.cs; keep the names in step.
/// </summary>
public static partial class BenchModels
{
    public const string ResourceFile = "OneBit.Bench.Models.resources";

    /// <summary>'#' cannot occur in a model name, so the index never collides with a model.</summary>
    public const string IndexEntry = "#models";

    /// <summary>The assembly that reads resources on nanoCLR; its .pe must be loaded when models are embedded.</summary>
    public const string ResourceManager = "nanoFramework.ResourceManager";

    /// <summary>The bench parses names byte by byte as ASCII (it has no System.Text), one per line.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    /// <summary>Reads NAME=path (the --model argument) and checks the blob on the host before the slow nanoCLR run.</summary>
    public static BenchModel Load(string argument)
    {
        int eq = argument.IndexOf('=');
        if (eq <= 0 || eq == argument.Length - 1)
        {
            throw new ArgumentException($"--model wants NAME=path/to/blob.obnb, not '{argument}'");
        }

        string name = argument[..eq], path = argument[(eq + 1)..];
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"model name '{name}': use letters, digits, '.', '-' and '_' only");
        }

        byte[] blob = File.ReadAllBytes(path);
        var net = BlobReader.Read(blob);    // throws BlobFormatException with the offset of the first problem
        if (net.TestVectors.Length == 0)
        {
            throw new ArgumentException($"{path}: the blob has no test vector; the bench takes its input frame and expected result from the first one");
        }

        return new BenchModel(name, blob);
    }

    /// <summary>The index entry: every name followed by '\n'.</summary>
    public static byte[] Index(IReadOnlyList<BenchModel> models) =>
        Encoding.ASCII.GetBytes(string.Concat(models.Select(m => m.Name + "\n")));

    /// <summary>Copies the bench assembly to <paramref name="outputDll"/> with the models and the index embedded.</summary>
    public static void Embed(string benchDll, string outputDll, IReadOnlyList<BenchModel> models)
    {
        var duplicate = models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
        {
            throw new ArgumentException($"model name '{duplicate.Key}' given twice");
        }

        // EmbedResource adds one entry and keeps the file's others, so each call builds on the previous output
        string input = benchDll;
        foreach (var m in models)
        {
            ModelEmbedding.EmbedResource(input, outputDll, m.Blob, ResourceFile, m.Name);
            input = outputDll;
        }

        ModelEmbedding.EmbedResource(input, outputDll, Index(models), ResourceFile, IndexEntry);
    }
}
