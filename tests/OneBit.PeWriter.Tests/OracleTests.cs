using OneBit.PeWriter;
using Xunit;
using Xunit.Abstractions;

namespace OneBit.PeWriter.Tests;

/// <summary>
/// The official mscorlib.pe of nanoFramework.CoreLibrary 1.17.11 (metadata processor
/// v3.0.x) is the oracle: our writer, run on the same mscorlib.dll, must reproduce it
/// byte for byte.
/// </summary>
public class OracleTests
{
    private readonly ITestOutputHelper _output;

    public OracleTests(ITestOutputHelper output)
    {
        _output = output;
    }

    internal static string OracleDir => Path.Combine(AppContext.BaseDirectory, "oracle");

    [Fact]
    public void Mscorlib_pe_is_reproduced_byte_for_byte()
    {
        var expected = File.ReadAllBytes(Path.Combine(OracleDir, "mscorlib.pe"));
        var actual = PeWriter.Write(Path.Combine(OracleDir, "mscorlib.dll"));
        var report = Diff.Report(expected, actual);
        _output.WriteLine(report);
        Assert.True(expected.AsSpan().SequenceEqual(actual), report);
    }
}
