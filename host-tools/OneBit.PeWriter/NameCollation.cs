using System.Globalization;

namespace OneBit.PeWriter;

/// <summary>
/// Culture-style ordering of type names without depending on ICU or NLS being present.
/// The official tool sorts type full names with the machine's default (culture-aware)
/// comparer; for identifier text that means: punctuation before digits before letters,
/// letters compared case-insensitively first, and only on a full tie lowercase before
/// uppercase. Punctuation follows the CLDR root order. Verified against the en-US
/// culture comparer on every mscorlib type name (tests).
/// </summary>
public sealed class NameCollation : StringComparer
{
    private const string PunctuationOrder = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

    public static readonly NameCollation Instance = new();

    private static int Primary(char c)
    {
        if (c is >= 'a' and <= 'z') return 2000 + (c - 'a');
        if (c is >= 'A' and <= 'Z') return 2000 + (c - 'A');
        if (c is >= '0' and <= '9') return 1000 + (c - '0');
        int p = PunctuationOrder.IndexOf(c);
        if (p >= 0) return 100 + p;
        if (char.IsLetter(c)) return 3000 + char.ToLowerInvariant(c);
        return 10 + c;
    }

    public override int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x == null) return -1;
        if (y == null) return 1;

        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            int d = Primary(x[i]).CompareTo(Primary(y[i]));
            if (d != 0) return d;
        }

        if (x.Length != y.Length) return x.Length.CompareTo(y.Length);

        for (int i = 0; i < n; i++)
        {
            bool xl = char.IsLower(x[i]), yl = char.IsLower(y[i]);
            if (xl != yl) return xl ? -1 : 1;
        }

        return string.CompareOrdinal(x, y);
    }

    public override bool Equals(string? x, string? y) => Compare(x, y) == 0;

    public override int GetHashCode(string obj) => obj.ToLower(CultureInfo.InvariantCulture).GetHashCode();
}
