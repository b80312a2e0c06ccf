using System.Globalization;
using System.Text.RegularExpressions;

namespace OneBit.Docs.Tests;

/// <summary>
/// One model's device-heap figures as `onebit inspect` prints them (models/NAME/inspect.txt), and how the documents
/// write them: bytes with thousands separators, or KB = 1,024 bytes (the unit of the 96 KB budget,
/// DeviceMemoryPlan.Esp32HeapBytes) with one decimal.
/// </summary>
internal sealed partial class InspectHeapFigures
{
    [GeneratedRegex(@"^device heap\s+(?<line>\d.*)$", RegexOptions.Multiline)]
    private static partial Regex HeapLine();

    [GeneratedRegex(@"^device plan, 96 KB heap: .*, (?<bytes>\d[\d,]*) bytes\s*$", RegexOptions.Multiline)]
    private static partial Regex PlanLine();

    /// <summary>A number standing alone ("int16" has none): "90,732", "88.6", "6".</summary>
    [GeneratedRegex(@"(?<![\w.,])(\d[\d,]*\d|\d)(\.\d+)?(?!\w)")]
    private static partial Regex Number();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Remark();

    public string Model { get; }
    /// <summary>"device heap": parameters − blob-layout conv weights + tuned kernel tables + streaming (rows streamed).</summary>
    public long Heap { get; }
    /// <summary>The numbers of the "device heap" equation in order, the total first.</summary>
    public long[] Equation { get; }
    /// <summary>"device plan, 96 KB heap": what the device runs within 96 KB; the whole frame's heap when that fits.</summary>
    public long Plan { get; }

    private InspectHeapFigures(string model, long[] equation, long plan)
    {
        Model = model;
        Heap = equation[0];
        Equation = equation;
        Plan = plan;
    }

    public static InspectHeapFigures Parse(string model, string inspectText)
    {
        Match heap = HeapLine().Match(inspectText), plan = PlanLine().Match(inspectText);
        if (!heap.Success || !plan.Success)
            throw new FormatException($"models/{model}/inspect.txt has no \"device heap\" or \"device plan, 96 KB heap\" line");
        return new InspectHeapFigures(model, EquationNumbers(heap.Groups["line"].Value), Bytes(plan.Groups["bytes"].Value));
    }

    /// <summary>The numbers of an equation, up to its first ';', parenthesised remarks left out.</summary>
    public static long[] EquationNumbers(string text)
    {
        int end = text.IndexOf(';');
        string equation = Remark().Replace(end < 0 ? text : text[..end], "");
        return Number().Matches(equation).Select(m => Bytes(m.Value)).ToArray();
    }

    public static long Bytes(string figure) => long.Parse(figure.Replace(",", ""), CultureInfo.InvariantCulture);

    /// <summary>Bytes / 1,024 with one decimal, as the documents write KB.</summary>
    public static string Kb(long bytes) =>
        Math.Round(bytes / 1024.0, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Show(long bytes, bool kb) =>
        kb ? $"{Kb(bytes)} KB ({bytes.ToString("N0", CultureInfo.InvariantCulture)} B)" : bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
