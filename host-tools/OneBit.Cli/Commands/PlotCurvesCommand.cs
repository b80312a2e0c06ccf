using System.CommandLine;
using OneBit.ModelExport;
using OneBit.Training;

namespace OneBit.Cli.Commands;

/// <summary>`onebit plot-curves`: redraws a run's curves.png from its curves.csv, without training.</summary>
public static class PlotCurvesCommand
{
    public static Command Create()
    {
        var cmd = new Command("plot-curves", "Plot a training run's curves.csv (loss, accuracy, learning rate per epoch) as a PNG");
        var csv = new Argument<string>("csv") { Description = "curves.csv written by `onebit train`" };
        var output = new Option<string?>("--output", "-o") { Description = "PNG to write (default: curves.png beside the CSV)" };
        var title = new Option<string?>("--title") { Description = "Plot title (default: from the one .obmx export beside the CSV, else the folder name)" };
        cmd.Arguments.Add(csv);
        cmd.Options.Add(output);
        cmd.Options.Add(title);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            string csvPath = parse.GetValue(csv)!;
            List<EpochRecord> rows = TrainingCurves.ReadCsv(csvPath);
            string folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
            string png = parse.GetValue(output) ?? Path.Combine(folder, "curves.png");
            TrainingCurves.WritePng(png, rows, parse.GetValue(title) ?? DefaultTitle(folder));
            Console.WriteLine($"wrote {png} ({rows.Count} epochs)");
            return 0;
        }));
        return cmd;
    }

    private static string DefaultTitle(string folder)
    {
        string[] exports = Directory.GetFiles(folder, "*.obmx");
        if (exports.Length != 1) return Path.GetFileName(folder);
        ExportedModel m = ModelExportReader.Read(exports[0]);
        return TrainingCurves.Title(m.Name, m.Architecture.Family, m.Architecture.Depth, m.Architecture.Width, m.Architecture.Bits);
    }
}
