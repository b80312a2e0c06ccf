using System.Text.RegularExpressions;

namespace OneBit.Docs.Tests;

/// <summary>
/// The device-heap figures written by hand in Markdown, against the models' inspect.txt (<see cref="InspectHeapFigures"/>):
/// <list type="bullet">
/// <item>a table with a column whose header starts with "device heap": in each row whose first cell names one model
/// folder, the cell's first figure ("N B", "N bytes" or "N.N KB") is the model's "device heap"; when the model's 96 KB
/// device plan is another (the whole frame fits), the cell gives that figure too;</item>
/// <item>a model card's "| device heap | … |" row: the same, and the numbers of its equation (up to the first ';',
/// remarks in parentheses left out) are those of inspect's "device heap" line, in order;</item>
/// <item>a sentence that <see cref="KbHeap"/> matches ("34.5 KB device heap", "88.6 KB of heap") gives the device
/// heap of the model it speaks of.</item>
/// </list>
/// </summary>
internal sealed partial class HeapFigureCheck
{
    /// <summary>"N.N KB", optionally "of", optionally "device", then "heap"; any whitespace (line breaks too) between.</summary>
    [GeneratedRegex(@"(?<kb>\d+\.\d)\s+KB\s+(?:of\s+)?(?:device\s+)?heap")]
    private static partial Regex KbHeap();

    [GeneratedRegex(@"(?<![\w.,])(?<n>\d[\d,]*\d|\d)(?<d>\.\d+)?\s*(?<unit>KB|bytes|B)(?!\w)")]
    private static partial Regex Figure();

    private readonly Dictionary<string, InspectHeapFigures> models;
    private readonly Regex modelName;

    public List<string> Problems { get; } = new();
    /// <summary>"document: model" for every figure compared.</summary>
    public List<string> Checked { get; } = new();

    public HeapFigureCheck(IEnumerable<InspectHeapFigures> models)
    {
        this.models = models.ToDictionary(m => m.Model);
        modelName = new Regex(string.Join("|", this.models.Keys.Select(n => $@"(?<![\w-]){Regex.Escape(n)}(?![\w-])")));
    }

    private static bool IsRow(string line) => line.StartsWith('|');

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    public void Tables(string document, string[] lines)
    {
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (!IsRow(lines[i]) || (i > 0 && IsRow(lines[i - 1]))) continue;
            string[] header = Cells(lines[i]);
            int column = Array.FindIndex(header, c => c.StartsWith("device heap", StringComparison.Ordinal));
            if (column < 0) continue;
            int rows = 0;
            for (int j = i + 2; j < lines.Length && IsRow(lines[j]); j++)
            {
                string[] cells = Cells(lines[j]);
                string[] named = modelName.Matches(cells[0]).Select(m => m.Value).Distinct().ToArray();
                if (named.Length != 1 || column >= cells.Length) continue;
                rows++;
                Cell(document, named[0], cells[column]);
            }
            if (rows == 0) Problems.Add($"{document} line {i + 1}: a \"{header[column]}\" column but no row naming a model folder");
        }
    }

    public void CardRow(string document, string model, string[] lines)
    {
        string? row = lines.FirstOrDefault(l => l.StartsWith("| device heap |", StringComparison.Ordinal));
        if (row == null)
        {
            Problems.Add($"{document}, {model}: no \"| device heap | … |\" row");
            return;
        }
        string cell = Cells(row)[1];
        Cell(document, model, cell);
        long[] shown = InspectHeapFigures.EquationNumbers(cell), inspected = models[model].Equation;
        if (!shown.SequenceEqual(inspected))
            Problems.Add($"{document}, {model}: device heap row {string.Join(" ", shown)}, but inspect.txt's \"device heap\" line {string.Join(" ", inspected)}");
    }

    /// <param name="about">The model the figure at a text index speaks of (null: none).</param>
    public void Sentences(string document, string text, Func<int, string?> about)
    {
        foreach (Match m in KbHeap().Matches(text))
        {
            string? model = about(m.Index);
            if (model == null)
            {
                Problems.Add($"{document}: \"{Regex.Replace(m.Value, @"\s+", " ")}\" follows no model folder name");
                continue;
            }
            Checked.Add($"{document}: {model}");
            long heap = models[model].Heap;
            if (m.Groups["kb"].Value != InspectHeapFigures.Kb(heap))
                Problems.Add($"{document}, {model}: \"{Regex.Replace(m.Value, @"\s+", " ")}\", but inspect.txt says {InspectHeapFigures.Show(heap, true)}");
        }
    }

    /// <summary>The last model folder named before a text index: whom a sentence speaks of.</summary>
    public Func<int, string?> LastNamedBefore(string text)
    {
        Match[] names = modelName.Matches(text).ToArray();
        return index => names.LastOrDefault(n => n.Index < index)?.Value;
    }

    private void Cell(string document, string model, string cell)
    {
        Checked.Add($"{document}: {model}");
        InspectHeapFigures inspected = models[model];
        Match[] figures = Figure().Matches(cell).ToArray();
        if (figures.Length == 0)
        {
            Problems.Add($"{document}, {model}: no device heap figure in \"{cell}\"");
            return;
        }
        bool kb = IsKb(figures[0]);
        if (!Means(figures[0], inspected.Heap))
            Problems.Add($"{document}, {model}: device heap {figures[0].Value}, but inspect.txt says {InspectHeapFigures.Show(inspected.Heap, kb)}");
        if (inspected.Plan != inspected.Heap && !figures.Any(f => Means(f, inspected.Plan)))
            Problems.Add($"{document}, {model}: within 96 KB the device runs the whole frame, {InspectHeapFigures.Show(inspected.Plan, kb)} " +
                $"(inspect.txt, \"device plan, 96 KB heap\"), which \"{cell}\" does not say");
    }

    private static bool IsKb(Match figure) => figure.Groups["unit"].Value == "KB";

    private static bool Means(Match figure, long bytes) => IsKb(figure)
        ? figure.Groups["n"].Value + figure.Groups["d"].Value == InspectHeapFigures.Kb(bytes)
        : !figure.Groups["d"].Success && InspectHeapFigures.Bytes(figure.Groups["n"].Value) == bytes;
}
