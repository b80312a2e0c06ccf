using System.CommandLine;
using OneBit.Datasets;
using OneBit.Emulator;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;
using Spectre.Console;

namespace OneBit.Cli.Commands;

/// <summary>`onebit eval`: accuracy, per-class accuracy and confusion matrix of a blob on a dataset.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var cmd = new Command("eval", "Evaluate a model blob on a labelled dataset (accuracy, per class, confusion matrix)");
        var blob = new Argument<string>("blob") { Description = "Model blob (.obnb)" };
        var data = new Option<string>("--data") { Description = DatasetSpec.Help, Required = true };
        var limit = new Option<int>("--images") { Description = "Evaluate an even spread of this many images (0 = all)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Runner threads (one runner each)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var png = new Option<string?>("--confusion-png") { Description = "Write the confusion matrix as a PNG heat map" };
        var kernel = KernelChoice.CreateOption();
        var shared = new Option<string?>("--shared") { Description = "The shared data folder (default: $ONEBIT_SHARED, else ../shared)" };
        cmd.Arguments.Add(blob);
        foreach (Option o in new Option[] { data, limit, threads, png, kernel, shared }) cmd.Options.Add(o);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            Network net = BlobReader.Read(File.ReadAllBytes(parse.GetValue(blob)!));
            ImageSet set = DatasetSpec.LoadForModel(parse.GetValue(data)!, parse.GetValue(shared), net.InputHeight, net.InputWidth, net.InputChannels);
            int[] idx = parse.GetValue(limit) > 0 ? DatasetSpec.Spread(set.Count, parse.GetValue(limit)) : Enumerable.Range(0, set.Count).ToArray();
            string kernelName = parse.GetValue(kernel)!;
            KernelChoice.Set(kernelName);   // an unavailable choice fails here, not inside every worker
            EvaluationResult result = AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"evaluating {idx.Length} images", maxValue: idx.Length);
                return Evaluation.Run(net, idx.Length, i => set.Pixels.AsMemory(idx[i] * set.ImageSize, set.ImageSize), i => set.Labels[idx[i]],
                    () => KernelChoice.Runner(kernelName, net), parse.GetValue(threads), new Progress<int>(n => task.Value = n));
        });
        Console.Write(EvaluationReport.Text(result));
        string? pngPath = parse.GetValue(png);
        if (pngPath != null)
        {
            EvaluationReport.Png(result, pngPath, $"{net.Name} on {parse.GetValue(data)}");
            Console.WriteLine($"wrote {pngPath}");
        }
        return 0;
        }));
        return cmd;
    }
}
