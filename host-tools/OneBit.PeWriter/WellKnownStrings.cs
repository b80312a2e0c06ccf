using System.Reflection;

namespace OneBit.PeWriter;

/// <summary>
/// Strings the firmware carries in ROM (c_CLR_StringTable_Data, nf-interpreter
/// src/CLR/Core/StringTableData.cpp). A .pe refers to entry i as string id 0xFFFF - i
/// instead of storing the text, so these never enter an assembly's own string table
/// (except through paths that bypass the lookup, see <see cref="StringTable.Merge"/>).
/// </summary>
public static class WellKnownStrings
{
    private static readonly Dictionary<string, ushort> Ids = Load();

    public static int Count => Ids.Count;

    public static bool TryGetId(string value, out ushort id) => Ids.TryGetValue(value, out id);

    public static string? TryGetString(ushort id)
    {
        foreach (var pair in Ids)
        {
            if (pair.Value == id)
            {
                return pair.Key;
            }
        }

        return null;
    }

    private static Dictionary<string, ushort> Load()
    {
        using var stream = Assembly.GetExecutingAssembly()
            .GetManifestResourceStream("OneBit.PeWriter.WellKnownStrings.txt")
            ?? throw new InvalidOperationException("WellKnownStrings.txt resource missing");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<string, ushort>(StringComparer.Ordinal);
        string? line;
        int index = 0;
        while ((line = reader.ReadLine()) != null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            result.Add(line, (ushort)(0xFFFF - index));
            index++;
        }

        return result;
    }
}
