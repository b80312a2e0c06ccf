using OneBit.PeWriter;

namespace OneBit.BenchImage;

/// <summary>
/// `interop-stubs`: the C++ side of an interop assembly generated from the assembly (<see cref="NativeStubs"/>): a
/// header declaring the handlers and the checksum, and the native table with one row per .pe method. For OneBit.Native
/// the output folder is native/onebit_interop/generated, committed; tests/OneBit.DeviceBuild.Tests/InteropStubsTests
/// fails when it no longer matches the assembly.
/// </summary>
public static class InteropStubs
{
    /// <summary>Writes <c>NAME.h</c> and <c>NAME_table.cpp</c> (NAME: the assembly name in lower case, '.' → '_') and
    /// returns their paths.</summary>
    public static string[] Write(string dll, string coreLibraryDir, string outputFolder)
    {
        var stubs = Generate(dll, coreLibraryDir);
        Directory.CreateDirectory(outputFolder);
        string header = Path.Combine(outputFolder, HeaderName(stubs)), table = Path.Combine(outputFolder, TableName(stubs));
        File.WriteAllText(header, stubs.Header(HeaderName(stubs)));
        File.WriteAllText(table, stubs.Table(HeaderName(stubs)));
        return new[] { header, table };
    }

    public static NativeStubs Generate(string dll, string coreLibraryDir)
    {
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(coreLibraryDir);
        return NativeStubs.FromAssembly(dll, options);
    }

    public static string HeaderName(NativeStubs stubs) => stubs.LibraryName + ".h";

    public static string TableName(NativeStubs stubs) => stubs.LibraryName + "_table.cpp";
}
