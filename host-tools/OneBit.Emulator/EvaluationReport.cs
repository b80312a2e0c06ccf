using System.Globalization;
using System.Text;
using SkiaSharp;

namespace OneBit.Emulator;

/// <summary>Text and PNG renderings of an evaluation: accuracy, per-class accuracy, confusion matrix.</summary>
public static class EvaluationReport
{
    public static string Text(EvaluationResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int n = r.ClassNames.Length;
        sb.AppendLine(string.Format(inv, "accuracy {0:P2} ({1} of {2}), {3:F1} s, {4:F0} images/s on {5} thread(s)",
            r.Accuracy, r.Correct, r.Total, r.Seconds, r.Total / Math.Max(1e-9, r.Seconds), r.Threads));
        sb.AppendLine();
        sb.AppendLine("per class:");
        for (int k = 0; k < n; k++) sb.AppendLine(string.Format(inv, "  {0,-14} {1,8:P2}", Short(r.ClassNames[k], 14), r.ClassAccuracy(k)));
        if (n <= 20)
        {
            sb.AppendLine();
            sb.AppendLine("confusion (rows: true class, columns: predicted):");
            sb.Append(new string(' ', 16));
            for (int j = 0; j < n; j++) sb.Append(string.Format(inv, "{0,7}", Short(r.ClassNames[j], 6)));
            sb.AppendLine();
            for (int k = 0; k < n; k++)
            {
                sb.Append(string.Format(inv, "  {0,-14}", Short(r.ClassNames[k], 14)));
                for (int j = 0; j < n; j++) sb.Append(string.Format(inv, "{0,7}", r.Confusion[k, j]));
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }

    /// <summary>Heat map of the row-normalized confusion matrix with counts in the cells.</summary>
    public static void Png(EvaluationResult r, string path, string title)
    {
        int n = r.ClassNames.Length, cell = n <= 20 ? 56 : Math.Max(6, 1000 / n), left = 130, top = 60;
        int w = left + n * cell + 70, h = top + n * cell + 110;
        using var surface = SKSurface.Create(new SKImageInfo(w, h));
        SKCanvas c = surface.Canvas;
        c.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 12);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        c.DrawText(title, 10, 22, font, ink);
        c.DrawText(string.Format(CultureInfo.InvariantCulture, "accuracy {0:P2} of {1} images; rows true, columns predicted", r.Accuracy, r.Total), 10, 40, font, ink);
        for (int k = 0; k < n; k++)
        {
            long rowTotal = 0;
            for (int j = 0; j < n; j++) rowTotal += r.Confusion[k, j];
            for (int j = 0; j < n; j++)
            {
                double f = rowTotal == 0 ? 0 : (double)r.Confusion[k, j] / rowTotal;
                byte shade = (byte)(255 - 200 * f);
                using var fill = new SKPaint { Color = k == j ? new SKColor(shade, 255, shade) : new SKColor(255, shade, shade) };
                c.DrawRect(left + j * cell, top + k * cell, cell - 1, cell - 1, fill);
                if (cell >= 40) c.DrawText(r.Confusion[k, j].ToString(CultureInfo.InvariantCulture), left + j * cell + 4, top + k * cell + cell / 2 + 4, font, ink);
            }
            if (cell >= 12) c.DrawText(Short(r.ClassNames[k], 16), 6, top + k * cell + cell / 2 + 4, font, ink);
        }
        if (cell >= 40)
        {
            for (int j = 0; j < n; j++)
            {
                c.Save();
                c.Translate(left + j * cell + cell / 2, top + n * cell + 8);
                c.RotateDegrees(45);
                c.DrawText(Short(r.ClassNames[j], 14), 0, 0, font, ink);
                c.Restore();
            }
        }
        using SKImage img = surface.Snapshot();
        using SKData data = img.Encode(SKEncodedImageFormat.Png, 100);
        string tmp = path + ".tmp";
        using (FileStream fs = File.Create(tmp)) data.SaveTo(fs);
        File.Move(tmp, path, overwrite: true);
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..n];
}
