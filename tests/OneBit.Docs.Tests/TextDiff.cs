namespace OneBit.Docs.Tests;

internal static class TextDiff
{
    /// <summary>The first line where two texts differ, both versions, for a failure message.</summary>
    public static string FirstDifference(string committed, string current)
    {
        string[] a = committed.Split('\n'), b = current.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string x = i < a.Length ? a[i] : "(end of file)", y = i < b.Length ? b[i] : "(end of output)";
            if (x != y) return $"line {i + 1}:\n  committed: {x}\n  now:       {y}";
        }
        return "(no difference)";
    }
}
