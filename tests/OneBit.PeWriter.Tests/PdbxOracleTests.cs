using System.Globalization;
using System.Xml.Linq;
using OneBit.PeWriter;
using Xunit;

namespace OneBit.PeWriter.Tests;

/// <summary>
/// Second oracle: the official mscorlib.pdbx maps every IL token to its nanoCLR row and
/// lists, per method, where rewritten code offsets diverge from IL offsets.
/// </summary>
public class PdbxOracleTests
{
    private static uint Hex(string s) => uint.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Token_map_and_il_maps_match_the_official_pdbx()
    {
        var image = PeWriter.Compile(Path.Combine(OracleTests.OracleDir, "mscorlib.dll"));
        var pdbx = XDocument.Load(Path.Combine(OracleTests.OracleDir, "mscorlib.pdbx"));
        int checkedTokens = 0, checkedOffsets = 0;
        var mismatches = new List<string>();

        foreach (var token in pdbx.Descendants("Class").Select(c => c.Element("Token")!)
                     .Concat(pdbx.Descendants("Method").Select(m => m.Element("Token")!))
                     .Concat(pdbx.Descendants("Field").Select(f => f.Element("Token")!)))
        {
            var clr = Hex(token.Element("CLR")!.Value);
            var nano = Hex(token.Element("nanoCLR")!.Value);
            checkedTokens++;
            if (!image.TokenMap.TryGetValue(clr, out var ours) || ours != nano)
            {
                mismatches.Add($"token 0x{clr:X8}: pdbx 0x{nano:X8}, ours {(image.TokenMap.TryGetValue(clr, out var o) ? $"0x{o:X8}" : "missing")}");
            }
        }

        foreach (var method in pdbx.Descendants("Method"))
        {
            var clr = Hex(method.Element("Token")!.Element("CLR")!.Value);
            var expected = method.Element("ILMap")!.Elements("IL")
                .Select(il => ((int)Hex(il.Element("CLR")!.Value), (int)Hex(il.Element("nanoCLR")!.Value)))
                .ToList();
            var ours = image.IlMaps.TryGetValue(clr, out var list) ? list.ToList() : new List<(int, int)>();
            checkedOffsets += expected.Count;
            if (!expected.SequenceEqual(ours))
            {
                mismatches.Add($"IL map of method 0x{clr:X8}: pdbx [{string.Join(",", expected)}], ours [{string.Join(",", ours)}]");
            }
        }

        Assert.True(checkedTokens > 900, $"only {checkedTokens} tokens in the pdbx");
        Assert.True(checkedOffsets > 100, $"only {checkedOffsets} IL offsets in the pdbx");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
        Assert.Equal(pdbx.Descendants("Class").Count() + pdbx.Descendants("Method").Count() + pdbx.Descendants("Field").Count(), image.TokenMap.Count);
    }
}
