namespace OneBit.Conversion.Importers;

/// <summary>A MAT file that reads fine but does not hold the network an importer expects; the message names what is missing or inconsistent.</summary>
public sealed class ModelImportException : Exception
{
    public ModelImportException(string message, Exception? inner = null) : base(message, inner) { }
}
