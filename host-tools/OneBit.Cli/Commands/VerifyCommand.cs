using System.CommandLine;
using System.Globalization;
using OneBit.Conversion.Verification;
using OneBit.Datasets;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;
using Spectre.Console;

namespace OneBit.Cli.Commands;

/// <summary>`onebit verify`: float model vs integer runtime on the same images, with per-layer deviation.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var cmd = new Command("verify", "Compare a blob on the integer runtime with the float model it came from");
        var model = new Argument<string>("model") { Description = "The float model the blob was converted from (.obmx)" };
        var blob = new Argument<string>("blob") { Description = "The converted blob (.obnb)" };
        var data = new Option<string>("--data") { Description = DatasetSpec.Help, Required = true };
        var images = new Option<int>("--images") { Description = "Number of images (spread over the dataset)", DefaultValueFactory = _ => 1000 };
        var kernel = KernelChoice.CreateOption();
        var shared = new Option<string?>("--shared") { Description = "The shared data folder (default: $ONEBIT_SHARED, else ../shared)" };
        var report = new Option<string?>("--report") { Description = "Also write the report to this file (markdown)" };
        var agreementOnly = new Option<bool>("--agreement-only") { Description = "Ignore the dataset's labels (they are not this model's classes): report agreement only" };
        cmd.Arguments.Add(model); cmd.Arguments.Add(blob);
        foreach (Option o in new Option[] { data, images, kernel, shared, report, agreementOnly }) cmd.Options.Add(o);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            ExportedModel floatModel = ModelSource.Load(parse.GetValue(model)!);
            Network net = BlobReader.Read(File.ReadAllBytes(parse.GetValue(blob)!));
            ImageSet set = DatasetSpec.LoadForModel(parse.GetValue(data)!, parse.GetValue(shared), net.InputHeight, net.InputWidth, net.InputChannels);
            if (floatModel.Quantizers.Any(q => (q.Bits ?? 0) == 0))
                throw new NotSupportedException("this model has full-precision activations and the blob does not record the calibrated quantizers: " +
                    "verify it during conversion with `onebit convert MODEL --calibrate DATA --verify DATA`");
            string text = Run(floatModel, net, set, parse.GetValue(images), parse.GetValue(kernel)!, !parse.GetValue(agreementOnly));
            Console.Write(text);
            string? reportPath = parse.GetValue(report);
            if (reportPath != null) File.WriteAllText(reportPath, text);
            return 0;
        }));
        return cmd;
    }

    /// <summary>Runs both paths over an even spread of the set and returns the report text.</summary>
    /// <param name="useLabels">False when the set's labels are not the model's classes (agreement only).</param>
    public static string Run(ExportedModel floatModel, Network net, ImageSet set, int images, string kernel, bool useLabels = true)
    {
        var verifier = new Verifier(floatModel, net, KernelChoice.Runner(kernel, net));
        int[] idx = DatasetSpec.Spread(set.Count, images);
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"verifying {idx.Length} images", maxValue: idx.Length);
            foreach (int i in idx) { verifier.Add(set.Image(i).ToArray(), useLabels ? set.Labels[i] : -1); task.Increment(1); }
        });
        return Format(verifier.Report, net);
    }

    public static string Format(VerifyReport r, Network net)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"model {net.Name}: {r.Images} images",
            string.Format(inv, "top-1 agreement float vs integer: {0:P2} ({1} of {2})", r.Agreement, r.Agreements, r.Images),
        };
        if (r.LabelledImages > 0)
        {
            lines.Add(string.Format(inv, "accuracy float:   {0:P2}", r.FloatAccuracy));
            lines.Add(string.Format(inv, "accuracy integer: {0:P2}", r.IntegerAccuracy));
        }
        lines.Add("");
        lines.Add(string.Format(inv, "{0,3} {1,-10} {2,-16} {3,14} {4,14} {5,18}", "#", "kind", "name", "max |dev|", "max |value|", "levels differing"));
        foreach (LayerDeviation d in r.Layers)
        {
            string levels = d.Kind == LayerOps.Quantize ? string.Format(inv, "{0:P3}", d.Elements == 0 ? 0 : (double)d.LevelMismatches / d.Elements) : "";
            string dev = d.Kind == LayerOps.Quantize ? "" : d.MaxAbsDeviation.ToString("G4", inv);
            string val = d.Kind == LayerOps.Quantize ? "" : d.MaxAbsValue.ToString("G4", inv);
            lines.Add(string.Format(inv, "{0,3} {1,-10} {2,-16} {3,14} {4,14} {5,18}", d.Index, d.Kind, d.Name.Length > 16 ? d.Name[..16] : d.Name, dev, val, levels));
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
