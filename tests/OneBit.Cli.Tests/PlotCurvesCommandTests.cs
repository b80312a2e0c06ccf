using SkiaSharp;

namespace OneBit.Cli.Tests;

public class PlotCurvesCommandTests
{
    [Fact]
    public void RedrawsACommittedModelsCurvesFromItsCsv()
    {
        string dir = Cli.TempDir();
        try
        {
            string csv = Path.Combine(Cli.RepoRoot, "models", "fashion-mnist-bn8-1-b2", "curves.csv");
            string png = Path.Combine(dir, "curves.png");
            Cli.Result r = Cli.Run(null, "plot-curves", csv, "-o", png);
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Contains($"wrote {png} (15 epochs)", r.Out);
            using SKBitmap bmp = SKBitmap.Decode(png);
            Assert.Equal(900, bmp.Width);
            Assert.Equal(900, bmp.Height);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RejectsAFileThatIsNotACurvesCsv()
    {
        string dir = Cli.TempDir();
        try
        {
            string csv = Path.Combine(dir, "curves.csv");
            File.WriteAllText(csv, "epoch,loss\n1,0.5\n");
            Cli.Result r = Cli.Run(null, "plot-curves", csv);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("not a curves file", r.Err);
            Assert.False(File.Exists(Path.Combine(dir, "curves.png")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
