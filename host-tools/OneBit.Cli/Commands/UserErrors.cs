using OneBit.Conversion.Importers;
using OneBit.Conversion.Mat;
using OneBit.Datasets;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Frames;

namespace OneBit.Cli.Commands;

/// <summary>
/// Errors a user can fix (a missing file, a malformed blob or dataset, an unsupported model) end a command with
/// "error: …" on stderr and exit code 2; anything else is a bug and keeps its stack trace.
/// </summary>
public static class UserErrors
{
    public static bool IsUserError(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or InvalidDataException
        or ModelExportFormatException or DatasetFormatException or BlobFormatException or MatFormatException or ModelImportException or FrameSourceException;

    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
