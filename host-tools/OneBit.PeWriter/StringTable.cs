using System.Text;

namespace OneBit.PeWriter;

/// <summary>
/// TBL_Strings: zero-terminated UTF-8 strings addressed by byte offset. Offset 0 is
/// always the empty string. Strings in the firmware's ROM table are addressed by their
/// well-known id instead (see <see cref="WellKnownStrings"/>). Entries are laid out in
/// first-use order, which is why the order in which tables ask for ids matters.
/// </summary>
public sealed class StringTable
{
    private readonly Dictionary<string, ushort> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private readonly Dictionary<ushort, string> _byId = new();
    private int _next;

    /// <summary>
    /// Ids from here up name ROM strings: the interpreter's GetString treats
    /// i >= 0xFFFF - c_CLR_StringTable_Size as an index into its built-in table.
    /// </summary>
    public static readonly int FirstWellKnownId = 0xFFFF - WellKnownStrings.Count;

    public StringTable()
    {
        GetOrCreate(string.Empty);
    }

    public int Size => _next;

    public IReadOnlyList<string> Entries => _order;

    public bool Contains(string value) => _ids.ContainsKey(value);

    public bool TryGetOwnId(string value, out ushort id) => _ids.TryGetValue(value, out id);

    public ushort GetOrCreate(string value, bool useWellKnown = true)
    {
        if (useWellKnown && WellKnownStrings.TryGetId(value, out var known))
        {
            return known;
        }

        if (_ids.TryGetValue(value, out var id))
        {
            return id;
        }

        int length = Encoding.UTF8.GetByteCount(value) + 1;
        if (_next >= FirstWellKnownId || _next + length > ushort.MaxValue + 1)
        {
            throw new PeLimitException(
                Shorten(value),
                "string table exceeds 64 KB: .pe string ids are 16-bit offsets (CLR_STRING, nanoCLR_Types.h)");
        }

        id = (ushort)_next;
        _ids.Add(value, id);
        _byId.Add(id, value);
        _order.Add(value);
        _next += length;
        return id;
    }

    /// <summary>Adds the entries of <paramref name="other"/> in its order, bypassing the ROM lookup.</summary>
    public void Merge(StringTable other)
    {
        foreach (var s in other._order)
        {
            GetOrCreate(s, useWellKnown: false);
        }
    }

    public string? Lookup(ushort id) => _byId.TryGetValue(id, out var s) ? s : WellKnownStrings.TryGetString(id);

    /// <summary>Only this table's own entries, not the ROM strings.</summary>
    public bool TryGetOwnString(ushort id, out string value) => _byId.TryGetValue(id, out value!);

    public void WriteTo(ByteBuffer buffer)
    {
        foreach (var s in _order)
        {
            buffer.ZString(s);
        }
    }

    private static string Shorten(string s) => s.Length > 40 ? "string \"" + s[..40] + "...\"" : "string \"" + s + "\"";
}
