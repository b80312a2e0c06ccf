using System.Globalization;
using ScottPlot;

namespace OneBit.Training;

/// <summary>Writes the per-epoch curves as CSV (one row per epoch), reads them back, and plots them: loss,
/// accuracy (train and validation) and learning rate, stacked over a shared epoch axis.</summary>
public static class TrainingCurves
{
    public const string CsvHeader = "epoch,lr,train_loss,train_acc,val_loss,val_acc,images_per_s,epoch_s,elapsed_s";
    public const int PngWidth = 900, PngHeight = 900;

    public static void WriteCsv(string path, IReadOnlyList<EpochRecord> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string> { CsvHeader };
        lines.AddRange(rows.Select(r => string.Join(",", r.Epoch.ToString(ci), r.LearningRate.ToString("G6", ci),
            r.TrainLoss.ToString("F5", ci), r.TrainAccuracy.ToString("F5", ci), r.ValidationLoss.ToString("F5", ci),
            r.ValidationAccuracy.ToString("F5", ci), r.ImagesPerSecond.ToString("F1", ci), r.EpochSeconds.ToString("F1", ci),
            r.ElapsedSeconds.ToString("F1", ci))));
        string tmp = path + ".tmp";
        File.WriteAllLines(tmp, lines);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a file written by <see cref="WriteCsv"/>; anything else raises <see cref="InvalidDataException"/>
    /// naming the file and line.</summary>
    public static List<EpochRecord> ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != CsvHeader)
            throw new InvalidDataException($"{path}: not a curves file (expected the header \"{CsvHeader}\")");
        var rows = new List<EpochRecord>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] f = lines[i].Split(',');
            var v = new double[f.Length];
            bool ok = f.Length == 9;
            for (int k = 0; ok && k < f.Length; k++) ok = double.TryParse(f[k], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]);
            if (!ok) throw new InvalidDataException($"{path}:{i + 1}: expected 9 numbers, got \"{lines[i]}\"");
            rows.Add(new EpochRecord((int)v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
        }
        return rows;
    }

    /// <summary>The plot title the trainer gives a run: model name, architecture and activation bits.</summary>
    public static string Title(string modelName, string family, int depth, int width, int bits) =>
        $"{modelName} ({family}-{depth}-{width}, {bits}-bit activations)";

    public static void WritePng(string path, IReadOnlyList<EpochRecord> rows, string title)
    {
        double[] epochs = rows.Select(r => (double)r.Epoch).ToArray();
        var loss = new Plot();
        loss.Title(title);
        loss.YLabel("cross-entropy loss");
        AddSeries(loss, epochs, rows.Select(r => r.TrainLoss), "train");
        AddSeries(loss, epochs, rows.Select(r => r.ValidationLoss), "validation");
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = new Plot();
        accuracy.YLabel("top-1 accuracy (%)");
        AddSeries(accuracy, epochs, rows.Select(r => 100 * r.TrainAccuracy), "train");
        AddSeries(accuracy, epochs, rows.Select(r => 100 * r.ValidationAccuracy), "validation");
        accuracy.ShowLegend(Alignment.LowerRight);

        var lr = new Plot();
        lr.YLabel("learning rate");
        lr.XLabel("epoch");
        AddSeries(lr, epochs, rows.Select(r => r.LearningRate), "at the epoch's last iteration");
        lr.ShowLegend(Alignment.UpperRight);

        Plot[] panels = { loss, accuracy, lr };
        foreach (Plot p in panels)
        {
            // Whole epochs only: a fractional epoch tick would name an epoch the CSV has no row for.
            p.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            if (rows.Count > 0) p.Axes.SetLimitsX(rows[0].Epoch - 0.5, rows[^1].Epoch + 0.5);
            // The same margins in every panel keep the epochs of the three panels above one another.
            p.Layout.Fixed(new PixelPadding(90, 20, 50, 40));
        }
        var figure = new Multiplot(loss) { Layout = new ScottPlot.MultiplotLayouts.Rows() };
        figure.AddPlot(accuracy);
        figure.AddPlot(lr);
        string tmp = path + ".tmp.png";
        figure.SavePng(tmp, PngWidth, PngHeight);
        File.Move(tmp, path, overwrite: true);
    }

    static void AddSeries(Plot plot, double[] epochs, IEnumerable<double> values, string label)
    {
        if (epochs.Length == 0) return;
        var s = plot.Add.Scatter(epochs, values.ToArray());
        s.LegendText = label;
        s.LineWidth = 2;
        s.MarkerSize = epochs.Length <= 40 ? 5 : 0;
    }
}
