using System.Text;
using OneBit.PeWriter;

namespace OneBit.PeWriter.Tests;

/// <summary>Names the first table whose bytes or size differ, and the first differing offset.</summary>
internal static class Diff
{
    public static string Report(byte[] expected, byte[] actual)
    {
        var sb = new StringBuilder();
        var e = PeLayout.Parse(expected);
        var a = PeLayout.Parse(actual);
        sb.AppendLine($"size expected {expected.Length}, actual {actual.Length}");
        for (int t = 0; t < 15; t++)
        {
            var table = (PeTable)t;
            bool same = e.TableBytes(table).SequenceEqual(a.TableBytes(table));
            sb.AppendLine($"  {table,-14} expected {e.SizeOf(table),6} @0x{e.Starts[t]:X5}  actual {a.SizeOf(table),6} @0x{a.Starts[t]:X5}  {(same ? "same" : "DIFFERENT")}");
        }

        for (int t = 0; t < 15; t++)
        {
            var table = (PeTable)t;
            var eb = e.TableBytes(table);
            var ab = a.TableBytes(table);
            if (!eb.SequenceEqual(ab))
            {
                int i = 0;
                while (i < eb.Length && i < ab.Length && eb[i] == ab[i]) i++;
                sb.AppendLine($"first differing table: {table}, at 0x{i:X} into it; {e.Describe(e.Starts[t] + i)}");
                sb.AppendLine($"  expected: {Hex(eb, i)}");
                sb.AppendLine($"  actual:   {Hex(ab, i)}");
                break;
            }
        }

        long first = PeLayout.FirstDifference(expected, actual);
        sb.AppendLine(first < 0 ? "images identical" : $"first differing byte: {e.Describe(first)}");
        sb.AppendLine($"header CRC expected 0x{e.HeaderCrc:X8} actual 0x{a.HeaderCrc:X8}; assembly CRC expected 0x{e.AssemblyCrc:X8} actual 0x{a.AssemblyCrc:X8}; native checksum expected 0x{e.NativeMethodsChecksum:X8} actual 0x{a.NativeMethodsChecksum:X8}");
        return sb.ToString();
    }

    private static string Hex(ReadOnlySpan<byte> bytes, int at)
    {
        int start = Math.Max(0, at - 8);
        int end = Math.Min(bytes.Length, at + 24);
        return start >= end ? "(end)" : $"[{start:X}] " + Convert.ToHexString(bytes[start..end]);
    }
}
