namespace OneBit.Docs.Tests;

/// <summary>
/// The device-heap figures written by hand — models/README.md's tables, each model card's "device heap" row and KB
/// sentences, the root README's model sentences — are those of the models' inspect.txt, which
/// <see cref="ModelInspectDumpTests"/> keeps equal to what `onebit inspect` prints. scripts/regenerate-docs.sh does not
/// rewrite them: after a runtime change moves the heap, these tests name the figures to edit.
/// </summary>
public class DeviceHeapFigureTests
{
    public static IEnumerable<object[]> Models() => Repo.ModelNames().Select(n => new object[] { n });

    private static HeapFigureCheck Check() => new(Repo.ModelNames()
        .Select(n => InspectHeapFigures.Parse(n, File.ReadAllText(Repo.PathOf($"models/{n}/inspect.txt")))));

    private static string Text(string relative) => File.ReadAllText(Repo.PathOf(relative)).Replace("\r\n", "\n");

    private static void AssertNoProblems(HeapFigureCheck check) =>
        Assert.True(check.Problems.Count == 0, "device heap figures differ from models/*/inspect.txt (edit them by hand):\n" + string.Join("\n", check.Problems));

    [Fact]
    public void ModelsReadmeTablesAndSentencesGiveInspectsDeviceHeap()
    {
        const string document = "models/README.md";
        string text = Text(document);
        HeapFigureCheck check = Check();
        check.Tables(document, text.Split('\n'));
        check.Sentences(document, text, check.LastNamedBefore(text));
        AssertNoProblems(check);
        Assert.All(Repo.ModelNames(), n => Assert.Contains($"{document}: {n}", check.Checked));
        Assert.True(check.Checked.Count >= 8, $"expected the first table's 4 rows, the cost table's 3 and the targets' sentence; checked {check.Checked.Count}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ModelCardGivesInspectsDeviceHeap(string name)
    {
        string document = $"models/{name}/README.md", text = Text(document);
        HeapFigureCheck check = Check();
        check.CardRow(document, name, text.Split('\n'));
        check.Sentences(document, text, _ => name);
        AssertNoProblems(check);
        Assert.Contains($"{document}: {name}", check.Checked);
    }

    [Fact]
    public void RootReadmeModelSentencesGiveInspectsDeviceHeap()
    {
        string text = Text("README.md");
        HeapFigureCheck check = Check();
        check.Sentences("README.md", text, check.LastNamedBefore(text));
        AssertNoProblems(check);
        Assert.True(check.Checked.Count >= 2, $"expected the fast and the accurate model's sentences; checked {check.Checked.Count}");
    }

    private const string Inspect =
        "device heap             35,332 bytes = parameters 15,040 - blob-layout conv weights 10,448 + tuned kernel tables 13,768 + streaming 16,972 (fits a 96 KB heap)\n" +
        "device heap, whole frame 82,544 bytes = parameters - weights + kernel tables 26,632 + frame buffers 51,320 (faster; the app's choice when its budget allows)\n" +
        "device plan, 96 KB heap: tuned kernels, whole frame runner, 82,544 bytes\n";

    [Fact]
    public void ADriftedFigureIsReportedWithTheDocumentTheModelAndBothNumbers()
    {
        var check = new HeapFigureCheck(new[] { InspectHeapFigures.Parse("m-16", Inspect) });
        check.Tables("t.md", new[] { "| model | device heap (96 KB budget) |", "|---|---|", "| [m-16](m-16/README.md) (fast) | 35,216 B (fits; whole frame 82,544 B) |" });
        check.Tables("k.md", new[] { "| model | device heap |", "|---|---|", "| fast: m-16 | 34.5 KB (fits) |" });
        check.CardRow("card.md", "m-16", new[] { "| device heap | 35,332 bytes = parameters 15,040 − blob-layout conv weights 10,448 + tuned kernel tables 13,768 (conv plans) + streaming 16,927; whole frame 82,544 bytes |" });
        string prose = "fast (m-16: 35.2 KB\ndevice heap)";
        check.Sentences("s.md", prose, check.LastNamedBefore(prose));
        Assert.Equal(new[]
        {
            "t.md, m-16: device heap 35,216 B, but inspect.txt says 35,332 B",
            "k.md, m-16: within 96 KB the device runs the whole frame, 80.6 KB (82,544 B) (inspect.txt, \"device plan, 96 KB heap\"), which \"34.5 KB (fits)\" does not say",
            "card.md, m-16: device heap row 35332 15040 10448 13768 16927, but inspect.txt's \"device heap\" line 35332 15040 10448 13768 16972",
            "s.md, m-16: \"35.2 KB device heap\", but inspect.txt says 34.5 KB (35,332 B)",
        }, check.Problems);
        Assert.Equal(4, check.Checked.Count);
    }
}
