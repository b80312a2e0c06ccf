using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OneBit.Emulator;
using OneBit.Emulator.Cameras;
using OneBit.Emulator.Onnx;
using OneBit.HostKernels;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;
using SkiaSharp;

namespace OneBit.Emulator.Tests;

public class EmulatorTests
{
    private static Network Net(int seed = 1) => BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, 8, 8, 3, 8, 2, 2, 3, 4)));

    [Theory]
    [InlineData(16, 128, 128, 0, 0, 0)]        // black (BT.601 limited range)
    [InlineData(235, 128, 128, 255, 255, 255)] // white
    [InlineData(81, 90, 240, 255, 0, 0)]       // red
    [InlineData(145, 54, 34, 0, 255, 0)]       // green
    public void YuyvConvertsToRgbByBt601(int y, int u, int v, int r, int g, int b)
    {
        var rgb = new byte[6];
        Yuyv.ToRgb888(new byte[] { (byte)y, (byte)u, (byte)y, (byte)v }, 2, 1, rgb);
        for (int px = 0; px < 2; px++)
        {
            Assert.InRange(rgb[3 * px], r - 2, r + 2);
            Assert.InRange(rgb[3 * px + 1], g - 2, g + 2);
            Assert.InRange(rgb[3 * px + 2], b - 2, b + 2);
        }
    }

    [Fact]
    public void ParallelEvaluationCountsEveryFrameOnceWhateverTheThreadCount()
    {
        Network net = Net();
        var rng = new Random(2);
        byte[][] frames = Enumerable.Range(0, 37).Select(_ => SyntheticNetworks.RandomPixels(rng, net.InputBytes)).ToArray();
        var single = new NetworkRunner(net);
        int[] expected = frames.Select(f => single.Run(f)).ToArray();
        int[] labels = expected.Select((c, i) => i % 5 == 0 ? (c + 1) % 4 : c).ToArray();   // every 5th label wrong
        foreach (int threads in new[] { 1, 2, 3 })
        {
            EvaluationResult r = Evaluation.Run(net, frames.Length, i => frames[i], i => labels[i], () => new NetworkRunner(net, HostKernelSet.Host), threads);
            Assert.Equal(expected, r.Predictions);
            Assert.Equal(frames.Length - (frames.Length + 4) / 5, r.Correct);
            Assert.Equal(frames.Length, r.Confusion.Cast<long>().Sum());
        }
    }

    [Fact]
    public void ReportsRenderTextAndAPng()
    {
        Network net = Net();
        var frames = Enumerable.Range(0, 8).Select(i => SyntheticNetworks.RandomPixels(new Random(i), net.InputBytes)).ToArray();
        EvaluationResult r = Evaluation.Run(net, frames.Length, i => frames[i], i => i % 4, () => new NetworkRunner(net), 1);
        string text = EvaluationReport.Text(r);
        Assert.Contains($"of {frames.Length})", text);
        Assert.Contains("confusion", text);
        using SKBitmap png = RenderConfusion(r);
        int side = EvaluationReport.CellPixels * net.ClassCount;
        Assert.Equal((120 + side + 150, 70 + side + 120), (png.Width, png.Height));
        Assert.True(Count(png, SKColors.Black, 90) > 500, "title, tick labels and counts in dark text");
    }

    /// <summary>The heat map colours a cell by the fraction of its true class: a matrix whose every row is all on the
    /// diagonal has three cells of the colour map's darkest blue more than one with no images at all (the colour bar
    /// holds the same colours in both).</summary>
    [Fact]
    public void ConfusionPngShadesCellsByTheFractionOfTheTrueClass()
    {
        string[] names = { "cat", "dog", "bird" };
        EvaluationResult Result(long[,] confusion) => new() { ClassNames = names, Confusion = confusion, Predictions = new int[confusion.Cast<long>().Sum()] };
        using SKBitmap perfect = RenderConfusion(Result(new long[,] { { 5, 0, 0 }, { 0, 7, 0 }, { 0, 0, 9 } }));
        using SKBitmap empty = RenderConfusion(Result(new long[3, 3]));
        ScottPlot.Color full = ScottPlot.IColormapExtensions.Reversed(new ScottPlot.Colormaps.Blues()).GetColor(1.0);
        var darkest = new SKColor(full.R, full.G, full.B);
        int extra = Count(perfect, darkest, 30) - Count(empty, darkest, 30);
        Assert.True(extra > 3 * 40 * 40, $"{extra} more darkest-blue pixels");
    }

    private static SKBitmap RenderConfusion(EvaluationResult r)
    {
        string png = Path.Combine(Path.GetTempPath(), $"onebit-confusion-{Guid.NewGuid():N}.png");
        try
        {
            EvaluationReport.Png(r, png, "test");
            return SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable PNG");
        }
        finally { File.Delete(png); }
    }

    private static int Count(SKBitmap bmp, SKColor like, int tolerance)
    {
        int n = 0;
        for (int y = 0; y < bmp.Height; y++)
            for (int x = 0; x < bmp.Width; x++)
            {
                SKColor c = bmp.GetPixel(x, y);
                if (Math.Abs(c.Red - like.Red) + Math.Abs(c.Green - like.Green) + Math.Abs(c.Blue - like.Blue) <= tolerance) n++;
            }
        return n;
    }

    /// <summary>The ONNX export loads in ONNX Runtime and has the network's shape; with ±1 weights and no
    /// quantizers it is the float network, so its logits must follow the integer ones' ordering often.</summary>
    [Fact]
    public void OnnxExportRunsInOnnxRuntimeWithTheNetworksShape()
    {
        Network net = Net(3);
        using var session = new InferenceSession(OnnxExport.FromNetwork(net));
        var input = new DenseTensor<float>(new[] { 1, 3, 8, 8 });
        var px = SyntheticNetworks.RandomPixels(new Random(1), net.InputBytes);
        for (int i = 0; i < px.Length; i++) input[0, i % 3, i / 3 / 8, i / 3 % 8] = px[i];
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input) });
        float[] logits = results.First().AsEnumerable<float>().ToArray();
        Assert.Equal(net.ClassCount, logits.Length);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        Assert.True(logits.Distinct().Count() > 1, "logits should differ between classes");
    }
}
