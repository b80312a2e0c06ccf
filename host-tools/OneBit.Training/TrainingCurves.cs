using System.Globalization;
using SkiaSharp;

namespace OneBit.Training;

/// <summary>Writes the per-epoch curves as CSV (one row per epoch) and a PNG with a loss panel and an
/// accuracy panel (train and validation).</summary>
public static class TrainingCurves
{
    public const string CsvHeader = "epoch,lr,train_loss,train_acc,val_loss,val_acc,images_per_s,epoch_s,elapsed_s";

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

    public static void WritePng(string path, IReadOnlyList<EpochRecord> rows, string title)
    {
        const int W = 900, H = 420, pad = 50;
        using var surface = SKSurface.Create(new SKImageInfo(W, H));
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        c.DrawText(title, pad, 22, font, text);
        int panelW = (W - 3 * pad) / 2;
        Panel(c, font, new SKRect(pad, 40, pad + panelW, H - pad), "loss", rows,
            r => r.TrainLoss, r => r.ValidationLoss, 0, Math.Max(1e-6, rows.Count == 0 ? 1 : rows.Max(r => Math.Max(r.TrainLoss, r.ValidationLoss))));
        Panel(c, font, new SKRect(2 * pad + panelW, 40, 2 * pad + 2 * panelW, H - pad), "accuracy", rows,
            r => r.TrainAccuracy, r => r.ValidationAccuracy, 0, 1);
        using var img = surface.Snapshot();
        using var data = img.Encode(SKEncodedImageFormat.Png, 100);
        string tmp = path + ".tmp";
        using (var fs = File.Create(tmp)) data.SaveTo(fs);
        File.Move(tmp, path, overwrite: true);
    }

    static void Panel(SKCanvas c, SKFont font, SKRect r, string name, IReadOnlyList<EpochRecord> rows,
        Func<EpochRecord, double> train, Func<EpochRecord, double> val, double lo, double hi)
    {
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        c.DrawRect(r, axis);
        var ci = CultureInfo.InvariantCulture;
        c.DrawText(name, r.Left + 4, r.Top - 4, font, text);
        c.DrawText(hi.ToString("G3", ci), r.Left - 40, r.Top + 10, font, text);
        c.DrawText(lo.ToString("G3", ci), r.Left - 40, r.Bottom, font, text);
        int n = rows.Count;
        c.DrawText("epoch " + (n == 0 ? 0 : rows[^1].Epoch).ToString(ci), r.Right - 60, r.Bottom + 16, font, text);
        if (n == 0) return;
        float X(int i) => n == 1 ? r.MidX : r.Left + (float)i / (n - 1) * r.Width;
        float Y(double v) => (float)(r.Bottom - (Math.Clamp(v, lo, hi) - lo) / (hi - lo) * r.Height);
        foreach (var (f, color, label, dy) in new[] { (train, SKColors.SteelBlue, "train", 0), (val, SKColors.OrangeRed, "validation", 16) })
        {
            using var p = new SKPaint { Color = color, StrokeWidth = 2, Style = SKPaintStyle.Stroke, IsAntialias = true };
            using var path = new SKPath();
            for (int i = 0; i < n; i++) { if (i == 0) path.MoveTo(X(i), Y(f(rows[i]))); else path.LineTo(X(i), Y(f(rows[i]))); }
            c.DrawPath(path, p);
            if (n == 1) c.DrawCircle(X(0), Y(f(rows[0])), 3, p);
            using var lt = new SKPaint { Color = color, IsAntialias = true };
            c.DrawText(label, r.Right - 90, r.Top + 16 + dy, font, lt);
        }
    }
}
