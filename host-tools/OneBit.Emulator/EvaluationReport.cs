using System.Globalization;
using System.Text;
using ScottPlot;

namespace OneBit.Emulator;

/// <summary>Text and PNG renderings of an evaluation: accuracy, per-class accuracy, confusion matrix.</summary>
public static class EvaluationReport
{
    /// <summary>Side of a confusion-matrix cell in the PNG when the classes are named (up to 20).</summary>
    public const int CellPixels = 56;

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

    /// <summary>Heat map of the row-normalized confusion matrix (rows: true class, columns: predicted) with a colour
    /// bar, class names as tick labels and, up to 20 classes, the counts in the cells.</summary>
    public static void Png(EvaluationResult r, string path, string title)
    {
        int n = r.ClassNames.Length;
        bool named = n <= 20;
        var fraction = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            long rowTotal = 0;
            for (int j = 0; j < n; j++) rowTotal += r.Confusion[k, j];
            for (int j = 0; j < n; j++) fraction[k, j] = rowTotal == 0 ? 0 : (double)r.Confusion[k, j] / rowTotal;
        }

        var plot = new Plot();
        plot.Title($"{title}\n{string.Format(CultureInfo.InvariantCulture, "accuracy {0:P2} of {1} images", r.Accuracy, r.Total)}");
        var map = plot.Add.Heatmap(fraction);
        map.Colormap = new ScottPlot.Colormaps.Blues().Reversed();   // white for none of the class, dark blue for all of it
        map.ManualRange = new ScottPlot.Range(0, 1);
        // The heat map centres cell (k, j) on x = j, y = n - 1 - k: row 0 at the top, as in the text.
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(map).Label = "fraction of the true class";
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        if (named)
        {
            double[] at = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            string[] names = r.ClassNames.Select(c => Short(c, 14)).ToArray();
            plot.Axes.Bottom.SetTicks(at, names);
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
            plot.Axes.Bottom.Label.OffsetY = 60;   // below the rotated names, which the layout measures unrotated
            plot.Axes.Left.SetTicks(at.Reverse().ToArray(), names);
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++)
                {
                    var count = plot.Add.Text(r.Confusion[k, j].ToString(CultureInfo.InvariantCulture), j, n - 1 - k);
                    count.LabelAlignment = Alignment.MiddleCenter;
                    count.LabelFontColor = fraction[k, j] > 0.5 ? Colors.White : Colors.Black;
                }
        }
        plot.HideGrid();
        // Fixed margins leave room for the rotated class names below and the colour bar with its label on the right.
        var margin = new PixelPadding(left: 120, right: 150, bottom: 120, top: 70);
        plot.Layout.Fixed(margin);
        int side = named ? CellPixels * n : 800;
        string tmp = path + ".tmp.png";
        plot.SavePng(tmp, (int)(margin.Left + side + margin.Right), (int)(margin.Top + side + margin.Bottom));
        File.Move(tmp, path, overwrite: true);
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..n];
}
