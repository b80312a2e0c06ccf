namespace OneBit.PeWriter;

public sealed class PeWriterOptions
{
    /// <summary>Extra type names to leave out, like the metadata processor's exclusion list.</summary>
    public IList<string> ExcludedTypes { get; } = new List<string>();

    /// <summary>
    /// Directories searched for referenced assemblies (e.g. the folder with nanoFramework's mscorlib.dll).
    /// The input's own folder is always searched.
    /// </summary>
    public IList<string> ReferenceDirectories { get; } = new List<string>();

    /// <summary>Comparer for the initial type-name sort; default <see cref="NameCollation"/> (culture-style, no ICU needed).</summary>
    public StringComparer? TypeNameComparer { get; set; }
}
