using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OneBit.Datasets;
using OneBit.Emulator;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>
/// `onebit demo`: the README's first command. The committed Fashion-MNIST model classifies test images on the
/// emulator (the device's runtime code), prints each result and the accuracy, then runs its embedded self-test.
/// </summary>
public static class DemoCommand
{
    public const string DefaultModelGlob = "fashion-mnist*";

    public static Command Create()
    {
        var cmd = new Command("demo", "Classify Fashion-MNIST test images with the committed model, then run its self-test");
        var model = new Option<string?>("--model") { Description = "Model blob (default: the committed models/fashion-mnist*/*.obnb)" };
        var shown = new Option<int>("--show") { Description = "Images printed one by one", DefaultValueFactory = _ => 20 };
        var data = new Option<string>("--data") { Description = DatasetSpec.Help, DefaultValueFactory = _ => "fashion-mnist:test" };
        var kernel = KernelChoice.CreateOption();
        foreach (Option o in new Option[] { model, shown, data, kernel }) cmd.Options.Add(o);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            string path = parse.GetValue(model) ?? FindCommittedModel();
            byte[] bytes = File.ReadAllBytes(path);
            Network net = BlobReader.Read(bytes);
            Console.WriteLine($"model {net.Name} ({Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}, {bytes.Length:N0} bytes): {net.InputHeight}x{net.InputWidth}x{net.InputChannels} input, {net.ClassCount} classes, {net.ActivationBits}-bit activations");
            ImageSet set = LoadData(parse.GetValue(data)!, net);
            string kernelName = parse.GetValue(kernel)!;
            NetworkRunner runner = KernelChoice.Runner(kernelName, net);
            var frame = new byte[net.InputBytes];
            int[] idx = DatasetSpec.Spread(set.Count, parse.GetValue(shown));
            Console.WriteLine();
            foreach (int i in idx)
            {
                set.Image(i).CopyTo(frame);
                var clock = Stopwatch.StartNew();
                int cls = runner.Run(frame);
                double ms = clock.Elapsed.TotalMilliseconds;
                string truth = set.ClassNames[set.Labels[i]];
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  image {0,5}: {1,-12} predicted {2,-12} logit {3,8:F2}  {4,6:F2} ms  {5}",
                    i, truth, net.ClassNames[cls], runner.Logits[cls] / 65536.0, ms, set.Labels[i] == cls ? "ok" : "wrong"));
            }
            EvaluationResult r = Evaluation.Run(net, set.Count, i => set.Pixels.AsMemory(i * set.ImageSize, set.ImageSize), i => set.Labels[i],
                () => KernelChoice.Runner(kernelName, net), Environment.ProcessorCount);
            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "accuracy on all {0:N0} images: {1:P2} ({2:F1} s, {3:F0} images/s)", r.Total, r.Accuracy, r.Seconds, r.Total / r.Seconds));
            string? failure = SelfTest.Run(KernelChoice.Runner(kernelName, net));
            Console.WriteLine(failure == null ? $"self-test passed: {net.TestVectors.Length} embedded test vectors reproduced bit for bit" : "self-test FAILED: " + failure);
            return failure == null ? 0 : 1;
        }));
        return cmd;
    }

    private static ImageSet LoadData(string spec, Network net)
    {
        if (spec.StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(FashionMnistIdx.DefaultDirectory))
            throw new IOException($"Fashion-MNIST is not installed ({FashionMnistIdx.DefaultDirectory} is missing): sudo apt-get install -y dataset-fashion-mnist");
        return DatasetSpec.LoadForModel(spec, null, net.InputHeight, net.InputWidth, net.InputChannels);
    }

    /// <summary>The committed model: models/fashion-mnist*/*.obnb in the repository that contains the working directory.</summary>
    private static string FindCommittedModel()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string models = Path.Combine(dir.FullName, "models");
            if (!Directory.Exists(models)) continue;
            string? blob = Directory.GetDirectories(models, DefaultModelGlob).OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => Directory.GetFiles(d, "*.obnb")).FirstOrDefault();
            if (blob != null) return blob;
        }
        throw new IOException("no committed Fashion-MNIST model found (models/fashion-mnist*/*.obnb); pass --model");
    }
}
