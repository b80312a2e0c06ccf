using System.Globalization;
using Mono.Cecil;
using Xunit;

namespace OneBit.PeWriter.Tests;

public class CollationTests
{
    [Fact]
    public void Sample_names_sort_like_the_en_US_culture()
    {
        // order produced by the en-US culture comparer (ICU) on this machine kind
        var expected = new[]
        {
            "System._Foo", "System.Ab_c", "System.Ab.c", "System.Ab2", "System.abc", "System.Abc", "System.Abc/Nested",
            "System.Abc<T>", "System.AbcD", "System.AbZ", "System.Action", "System.Action`1", "System.Int32",
            "System.IntPtr", "System.IO.Stream",
        };
        var shuffled = expected.Reverse().ToList();
        Assert.Equal(expected, shuffled.OrderBy(s => s, NameCollation.Instance));
    }

    [Fact]
    public void Agrees_with_the_culture_comparer_on_every_mscorlib_type_name()
    {
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo("en-US", predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            // globalization-invariant runtime: no culture data to compare against; the sample test still applies
            return;
        }

        var comparer = StringComparer.Create(culture, false);
        using var module = ModuleDefinition.ReadModule(Path.Combine(OracleTests.OracleDir, "mscorlib.dll"));
        var names = module.GetTypes().Select(t => t.FullName).ToList();
        var disagreements = names.SelectMany(a => names.Select(b => (a, b)))
            .Where(p => Math.Sign(comparer.Compare(p.a, p.b)) != Math.Sign(NameCollation.Instance.Compare(p.a, p.b)))
            .Take(5)
            .ToList();
        Assert.Empty(disagreements);
    }
}
