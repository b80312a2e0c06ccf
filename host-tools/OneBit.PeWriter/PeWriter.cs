using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// Turns an IL assembly compiled against nanoFramework's mscorlib into the stable-line .pe
/// image that nanoCLR (CoreLibrary 1.17.x firmware) loads.
/// </summary>
public static class PeWriter
{
    public static byte[] Write(string assemblyPath, PeWriterOptions? options = null) => Compile(assemblyPath, options).Bytes;

    /// <summary>Writes the .pe and returns it together with its token map.</summary>
    public static PeImage Compile(string assemblyPath, PeWriterOptions? options = null) => Build(assemblyPath, options, b => b.Build());

    /// <summary>Builds the .pe of <paramref name="assemblyPath"/> and hands the builder (its model: the .pe's rows) to
    /// <paramref name="use"/> while the assembly is still open.</summary>
    internal static T Build<T>(string assemblyPath, PeWriterOptions? options, Func<PeBuilder, T> use)
    {
        options ??= new PeWriterOptions();
        var resolver = new DefaultAssemblyResolver();
        foreach (var dir in resolver.GetSearchDirectories().ToList())
        {
            resolver.RemoveSearchDirectory(dir);
        }

        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!);
        foreach (var dir in options.ReferenceDirectories)
        {
            resolver.AddSearchDirectory(dir);
        }

        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath, new ReaderParameters { AssemblyResolver = resolver });
        try
        {
            return use(new PeBuilder(assembly.MainModule, options));
        }
        finally
        {
            resolver.Dispose();
        }
    }

    public static void WriteFile(string assemblyPath, string pePath, PeWriterOptions? options = null)
    {
        File.WriteAllBytes(pePath, Write(assemblyPath, options));
    }
}
