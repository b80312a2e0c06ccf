using OneBit.Conversion.Inspection;
using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

/// <summary>
/// The Xtensa cycle table (native/onebit_kernels/xtensa/xtensa-cycles.tsv, written by scripts/xtensa-estimate.sh) and
/// the native ESP32 estimate `inspect` prints from it: the committed table parses in the format the script prints and
/// holds every role the model prices, malformed tables are refused with the line, and the iteration counts follow the
/// kernels' loops (valid taps at the borders).
/// </summary>
public class XtensaCostModelTests
{
    private static string TablePath => RepositoryPaths.Combine("native", "onebit_kernels", "xtensa", "xtensa-cycles.tsv");

    [Fact]
    public void TheScriptPrintsTheHeaderTheParserExpects()
    {
        string script = File.ReadAllText(RepositoryPaths.Combine("scripts", "xtensa_loops.py"));
        Assert.Contains("print('# " + string.Join("\\t", XtensaCostModel.Columns) + "')", script);
    }

    [Fact]
    public void TheCommittedTableParsesAndIsTheEmbeddedOne()
    {
        IReadOnlyList<XtensaCostModel.Row> rows = XtensaCostModel.Parse(File.ReadAllText(TablePath));
        Assert.Equal(new[] { "O2", "Os" }, rows.Select(r => r.Opt).Distinct().OrderBy(o => o, StringComparer.Ordinal));
        foreach (var level in rows.GroupBy(r => r.Opt))
        {
            Assert.Equal(level.Count(), level.Select(r => r.Role).Distinct().Count());   // one row per role
            XtensaCostModel.Table embedded = XtensaCostModel.Embedded[level.Key];
            Assert.All(level, r => Assert.Equal(r.Cycles, embedded[r.Role]));
            Assert.All(level, r => Assert.True(r.Loads + r.Stores + r.Branches <= r.Insns, r.Role));
        }
    }

    [Theory]
    [InlineData("# opt\trole\tinsns\n", "header")]
    [InlineData("O2\tconv.row\t1\t2\t3\n", "fields")]
    [InlineData("O2\tconv.row\t10\t1\t1\t1\t0\tx\n", "cycles 'x' is not a count")]
    [InlineData("O2\tconv.row\t10\t1\t1\t1\t0\t-4\n", "is not a count")]
    [InlineData("O2\tconv.row\t10\t1\t1\t1\t0\t9\n", "9 cycles for 10 instructions")]
    public void MalformedTablesAreRefusedWithTheLine(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => XtensaCostModel.Parse(text));
        Assert.Contains("line 1", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AMissingRoleNamesTheScript()
    {
        var t = new XtensaCostModel.Table("O2", new Dictionary<string, int>());
        var e = Assert.Throws<InvalidDataException>(() => t["conv.row"]);
        Assert.Contains("xtensa-estimate.sh", e.Message);
    }

    [Theory]
    [InlineData(32, 1, 1, 3, 32, 32 * 3 - 2)]    // 3×3 stride 1 pad 1: the first and last rows lose one tap each
    [InlineData(16, 2, 1, 3, 32, 16 * 3 - 1)]    // stride 2 pad 1: only the first row loses one
    [InlineData(4, 1, 0, 1, 4, 4)]               // 1×1
    [InlineData(1, 1, 1, 3, 1, 1)]               // a single row: only the centre tap
    public void ValidTapsCountTheBorderRule(int outSize, int stride, int pad, int k, int inSize, long expected)
    {
        Assert.Equal(expected, XtensaCostModel.ValidTaps(outSize, stride, pad, k, inSize));
    }

    [Theory]
    [InlineData("cifar10-bn8-c16-i16-b2")]
    [InlineData("cifar10-bn20-1-b2-affine")]
    public void CommittedModelsArePricedOnTheDevicePaths(string model)
    {
        Network net = BlobReader.Read(File.ReadAllBytes(RepositoryPaths.ModelBlob(model)));
        foreach (string opt in new[] { "O2", "Os" })
        {
            IReadOnlyList<XtensaCostModel.LayerCycles> layers = XtensaCostModel.Estimate(net, XtensaCostModel.Embedded[opt]);
            Assert.Equal(net.Layers.Length, layers.Count);
            Assert.All(layers, l => Assert.True(l.Cycles > 0, $"{opt} layer {l.Index} {l.Kind}"));
        }
        Assert.All(net.Layers.OfType<ConvLayer>(), c => Assert.True(XtensaCostModel.TakesPatchPath(c)));
        Assert.All(net.Layers.OfType<StemLayer>(), s => Assert.True(XtensaCostModel.TakesSmallStem(s)));
    }

    [Fact]
    public void ConvCyclesGrowWithTheOutputChannels()
    {
        Network net = BlobReader.Read(File.ReadAllBytes(RepositoryPaths.ModelBlob("cifar10-bn8-c16-i16-b2")));
        XtensaCostModel.Table t = XtensaCostModel.Embedded["O2"];
        ConvLayer conv = net.Layers.OfType<ConvLayer>().First();
        long one = XtensaCostModel.Estimate(net, t).Single(l => l.Index == conv.Index).Cycles;
        // Per output channel: the output loop and one dot-loop iteration per filter word (k·k·wpc).
        long perChannel = (long)conv.OutHeight * conv.OutWidth
            * (t["conv.patch2.output"] + conv.KernelSize * conv.KernelSize * conv.WordsPerTap * t["conv.patch2.word"]);
        Assert.True(one > perChannel * conv.OutChannels, $"{one} cycles for {conv.OutChannels} channels of {perChannel}");
        Assert.True(one < perChannel * conv.OutChannels * 2, "the per-pixel gather costs less than the outputs");
    }

    [Theory]
    [InlineData(32, 1, 1, 3, 32, 30)]
    [InlineData(16, 2, 1, 3, 32, 15)]
    [InlineData(8, 1, 0, 1, 8, 8)]
    [InlineData(2, 1, 1, 3, 2, 0)]
    public void FullWindowsAreTheOutputsWhoseTapsAreAllInside(int outSize, int stride, int pad, int k, int inSize, long expected)
    {
        Assert.Equal(expected, XtensaCostModel.FullWindows(outSize, stride, pad, k, inSize));
    }

    [Fact]
    public void SymmetricLevelsCountTheWeightsOnesOnlyAtTheBorder()
    {
        // The first 3×3 2-plane conv (16 → 16 at 32×32, stride 1) of one synthetic network with z = 3 and one with z = 0:
        // the difference is the z ≠ 0 copy's dearer output loop, the per-call filter counts, and the weights' ones of
        // the 124 border pixels only.
        XtensaCostModel.Table t = XtensaCostModel.Embedded["O2"];
        long Cycles(int zero, out ConvLayer c)
        {
            Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(7, 32, 32, 3, 16, blocks: 1, bits: 2, zero: zero, classes: 10)));
            int at = Array.FindIndex(net.Layers, l => l is ConvLayer);
            c = (ConvLayer)net.Layers[at];
            return XtensaCostModel.Estimate(net, t)[at].Cycles;
        }
        long difference = Cycles(3, out ConvLayer sym) - Cycles(0, out ConvLayer plain);
        Assert.Equal((3, 0, 16, 32, 1), (sym.ZeroCode, plain.ZeroCode, sym.OutChannels, sym.OutWidth, sym.Stride));
        long n = 9 * sym.WordsPerTap, pixels = 32 * 32, border = pixels - 30 * 30;
        long expected = pixels * 16 * (t["conv.patch2.sym.output"] - t["conv.patch2.output"] + n * (t["conv.patch2.sym.word"] - t["conv.patch2.word"]))
            + border * 16 * n * t["conv.patch2.ones"] + 16 * t["conv.patch.filterones.output"] + 16 * n * t["conv.patch.filterones.word"];
        Assert.Equal(expected, difference);
        Assert.Equal(124, border);
    }
}
