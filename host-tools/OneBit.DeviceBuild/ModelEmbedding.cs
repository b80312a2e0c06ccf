using System.Resources;
using System.Text;
using Mono.Cecil;

namespace OneBit.DeviceBuild;

/// <summary>How the model blob reaches the app on the device.</summary>
public enum ModelRoute
{
    /// <summary>The app carries no model (or brings its own).</summary>
    None = 0,

    /// <summary>
    /// A binary resource (device/OneBit.App: Resources.resx entry 'model', read with nanoFramework.ResourceManager's
    /// <c>Resources.GetBytes</c>): a .resources file embedded in the app assembly, which the .pe writer turns into
    /// the .pe's resource tables (TBL_Resources/ResourcesData/ResourcesFiles). No size limit beyond flash; needs
    /// nanoFramework.ResourceManager.pe in the image.
    /// </summary>
    Resource = 1,

    /// <summary>
    /// A static array initializer in a generated C# class (device/OneBit.App.Synthetic: <c>ModelData.Blob()</c>).
    /// Needs only mscorlib, but nanoFramework keeps initializer data in the assembly's signature table, which is
    /// limited to 64 KB together with all signatures: for small models.
    /// </summary>
    StaticArray = 2,
}

/// <summary>Puts a model blob into an app by one of the <see cref="ModelRoute"/>s.</summary>
public static class ModelEmbedding
{
    /// <summary>Largest blob the static-array route accepts (the 64 KB signature table also holds the signatures).</summary>
    public const int MaxStaticArrayBytes = 60 * 1024;

    /// <summary>Resource file of device/OneBit.App's Resources.resx (RootNamespace OneBit.App).</summary>
    public const string DefaultResourceFile = "OneBit.App.Resources.resources";

    /// <summary>Entry name of the blob in that file (Resources.BinaryResources.model).</summary>
    public const string DefaultResourceName = "model";

    /// <summary>
    /// Copies <paramref name="assemblyPath"/> to <paramref name="outputPath"/> with the blob added as binary entry
    /// <paramref name="entryName"/> of the embedded .resources file <paramref name="resourceFile"/> (created, or
    /// replaced if the assembly already has one of that name, keeping its other entries).
    /// </summary>
    public static void EmbedResource(string assemblyPath, string outputPath, byte[] blob,
        string resourceFile = DefaultResourceFile, string entryName = DefaultResourceName)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!);
        using (resolver)
        {
            byte[] input = File.ReadAllBytes(assemblyPath);
            using var assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(input), new ReaderParameters { AssemblyResolver = resolver });
            var module = assembly.MainModule;
            var entries = new List<(string Name, object Value)>();
            var existing = module.Resources.OfType<EmbeddedResource>().FirstOrDefault(r => r.Name == resourceFile);
            if (existing != null)
            {
                using var reader = new ResourceReader(existing.GetResourceStream());
                var e = reader.GetEnumerator();
                while (e.MoveNext())
                {
                    var name = (string)e.Key;
                    if (name != entryName)
                    {
                        entries.Add((name, e.Value!));
                    }
                }

                module.Resources.Remove(existing);
            }

            entries.Add((entryName, blob));
            var ms = new MemoryStream();
            using (var writer = new ResourceWriter(ms))
            {
                foreach (var (name, value) in entries)
                {
                    writer.AddResource(name, value);
                }

                writer.Generate();
                module.Resources.Add(new EmbeddedResource(resourceFile, ManifestResourceAttributes.Public, ms.ToArray()));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            assembly.Write(outputPath);
        }
    }

    /// <summary>
    /// C# source of <c>internal static class ModelData</c> with <c>Blob()</c> returning the blob from a static array
    /// initializer and <c>Description</c> naming its origin (device/OneBit.App.Synthetic compiles it in place of
    /// ModelData.None.cs).
    /// </summary>
    /// <exception cref="ArgumentException">the blob is larger than <see cref="MaxStaticArrayBytes"/></exception>
    public static string StaticArraySource(byte[] blob, string description, string ns = "OneBit.App.Synthetic")
    {
        if (blob.Length > MaxStaticArrayBytes)
        {
            throw new ArgumentException($"the model blob has {blob.Length} bytes; the static-array route holds at most {MaxStaticArrayBytes} " +
                "(nanoFramework keeps array initializers in the 64 KB signature table): use the resource route (--model-route resource, as device/OneBit.App does)");
        }

        var sb = new StringBuilder();
        sb.AppendLine("// <auto-generated> by onebit build-device from the model blob; do not edit. </auto-generated>");
        sb.AppendLine($"namespace {ns}");
        sb.AppendLine("{");
        sb.AppendLine("    internal static class ModelData");
        sb.AppendLine("    {");
        sb.AppendLine($"        public const string Description = \"{Escape(description)}\";");
        sb.AppendLine();
        sb.AppendLine("        public static byte[] Blob()");
        sb.AppendLine("        {");
        sb.AppendLine("            return new byte[]");
        sb.AppendLine("            {");
        for (int i = 0; i < blob.Length; i += 24)
        {
            sb.Append("                ");
            sb.AppendLine(string.Join(", ", blob.Skip(i).Take(24).Select(b => "0x" + b.ToString("X2"))) + ",");
        }

        sb.AppendLine("            };");
        sb.AppendLine("        }");
        sb.AppendLine("    }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", " ").Replace("\r", " ");
}
