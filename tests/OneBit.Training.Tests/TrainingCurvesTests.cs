using OneBit.Paths;
using SkiaSharp;
using Xunit;

namespace OneBit.Training.Tests;

public class TrainingCurvesTests
{
    /// <summary>A plausible run: falling loss, rising accuracy, cosine learning rate.</summary>
    static List<EpochRecord> Run(int epochs) => Enumerable.Range(1, epochs).Select(e => new EpochRecord(e,
        0.05 * (1 + Math.Cos(Math.PI * e / epochs)), 2.0 / e, 1 - 1.0 / (e + 1), 2.2 / e, 1 - 1.3 / (e + 1), 1000.0 + e, 9.5, 9.5 * e)).ToList();

    [Fact]
    public void CsvReadsBackWhatWasWrittenToItsPrecision()
    {
        string dir = Synthetic.TempDir();
        try
        {
            List<EpochRecord> rows = Run(7);
            string csv = Path.Combine(dir, "curves.csv");
            TrainingCurves.WriteCsv(csv, rows);
            List<EpochRecord> back = TrainingCurves.ReadCsv(csv);
            Assert.Equal(rows.Count, back.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].Epoch, back[i].Epoch);
                Assert.Equal(rows[i].LearningRate, back[i].LearningRate, 1e-5 * rows[i].LearningRate);
                Assert.Equal(rows[i].TrainLoss, back[i].TrainLoss, 5e-6);
                Assert.Equal(rows[i].ValidationAccuracy, back[i].ValidationAccuracy, 5e-6);
                Assert.Equal(rows[i].ElapsedSeconds, back[i].ElapsedSeconds, 0.05);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void EveryCommittedModelsCurvesRead()
    {
        string[] files = Directory.GetFiles(RepositoryPaths.Combine("models"), "curves.csv", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string f in files)
        {
            List<EpochRecord> rows = TrainingCurves.ReadCsv(f);
            Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => r.Epoch));
            Assert.All(rows, r => Assert.InRange(r.LearningRate, 0, 1));
            Assert.All(rows, r => Assert.InRange(r.ValidationAccuracy, 0, 1));
        }
    }

    [Fact]
    public void ReadingAnotherCsvNamesTheFileAndLine()
    {
        string dir = Synthetic.TempDir();
        try
        {
            string csv = Path.Combine(dir, "curves.csv");
            File.WriteAllLines(csv, new[] { TrainingCurves.CsvHeader, "1,0.1,1,0.5,1,0.5,100,1,1", "2,0.1,1,0.5,oops,0.5,100,1,2" });
            var e = Assert.Throws<InvalidDataException>(() => TrainingCurves.ReadCsv(csv));
            Assert.Contains(csv + ":3:", e.Message);
            File.WriteAllLines(csv, new[] { "a,b", "1,2" });
            Assert.Contains("not a curves file", Assert.Throws<InvalidDataException>(() => TrainingCurves.ReadCsv(csv)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>
    /// The PNG decodes at its size and holds three stacked panels: loss and accuracy with a train and a validation
    /// line each (the plotting library's first two palette colours), the learning rate with one line, and
    /// dark tick-label text left of every panel.
    /// </summary>
    [Fact]
    public void PngHasLossAccuracyAndLearningRatePanelsWithTickLabels()
    {
        string dir = Synthetic.TempDir();
        try
        {
            string png = Path.Combine(dir, "curves.png");
            TrainingCurves.WritePng(png, Run(12), "test run");
            using SKBitmap bmp = SKBitmap.Decode(png);
            Assert.NotNull(bmp);
            Assert.Equal(TrainingCurves.PngWidth, bmp.Width);
            Assert.Equal(TrainingCurves.PngHeight, bmp.Height);
            var blue = new SKColor(31, 119, 180);
            var orange = new SKColor(255, 127, 14);
            int third = bmp.Height / 3;
            for (int panel = 0; panel < 3; panel++)
            {
                int top = panel * third, bottom = top + third;
                Assert.True(Count(bmp, 90, bmp.Width, top, bottom, blue) > 200, $"panel {panel}: train/learning-rate line");
                int orangePixels = Count(bmp, 90, bmp.Width, top, bottom, orange);
                if (panel < 2) Assert.True(orangePixels > 200, $"panel {panel}: validation line");
                else Assert.True(orangePixels < 20, "the learning-rate panel has one line");
                Assert.True(Count(bmp, 0, 90, top, bottom, SKColors.Black, 90) > 200, $"panel {panel}: tick labels");
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    static int Count(SKBitmap bmp, int x0, int x1, int y0, int y1, SKColor like, int tolerance = 40)
    {
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                SKColor c = bmp.GetPixel(x, y);
                if (Math.Abs(c.Red - like.Red) + Math.Abs(c.Green - like.Green) + Math.Abs(c.Blue - like.Blue) <= tolerance) n++;
            }
        return n;
    }
}
