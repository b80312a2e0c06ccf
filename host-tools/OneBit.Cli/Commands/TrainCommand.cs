using System.CommandLine;
using OneBit.Datasets;
using OneBit.Paths;
using OneBit.Training;
using Spectre.Console;

namespace OneBit.Cli.Commands;

/// <summary>`onebit train`: the paper's recipe on CIFAR-10/100, ImageFolder trees or Fashion-MNIST, with
/// progress bar, per-epoch atomic checkpoints, --resume, curves and the model export.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var cmd = new Command("train", "Train a 1-bit-weight ResNet (resnet_srelu or resnet_bn) and export it for `onebit convert`");
        var defaults = new TrainOptions();

        Option<T> Opt<T>(string name, string description, T defaultValue, params string[] aliases)
        {
            var o = new Option<T>(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };
            cmd.Options.Add(o);
            return o;
        }

        var dataset = Opt("--dataset", $"Dataset: {string.Join(", ", DatasetLoader.Names)}", defaults.Dataset, "-d");
        var data = Opt<string?>("--data", "Dataset directory or archive (default: the dataset's standard location)", null);
        var shared = Opt<string?>("--shared", $"The project's shared folder (default: ${SharedPaths.EnvironmentVariable}, else ../shared beside the repo)", null);
        var valPerClass = Opt("--val-per-class", "Images per class held out (last in file order) for validation", defaults.ValidationPerClass);
        var imgChannels = Opt("--image-channels", "ImageFolder: decode as 3 (RGB) or 1 (luminance) channels", defaults.ImageChannels);
        var maxTrain = Opt("--max-train", "Use only a fixed pseudo-random subset of N training images (0 = all)", defaults.MaxTrainImages);
        var inputSize = Opt("--input-size", "Square model input side N: images are area-resized to N×N as the device resizes camera frames (0 = the dataset's size)", defaults.InputSize);
        var noTest = Opt("--no-test", "Do not evaluate the dataset's test split at the end", false);

        var family = Opt("--family", "Network family: srelu (McDonnell 2019, no BN) or bn (McDonnell 2018, BN without scale/offset)", "srelu");
        var depth = Opt("--depth", "Depth 6n+2 (8, 14, 20, 26, …)", defaults.Depth);
        var width = Opt("--width", "Width k (stages of 16k, 32k, 64k channels)", defaults.Width, "-k");
        var baseChannels = Opt("--base-channels", "First-stage channels c at width 1 (stages of c·k, 2c·k, 4c·k)", defaults.BaseChannels);
        var bits = Opt("--bits", "Activation bits b: 1, 2, 4, 8, or 0 for full precision", defaults.Bits, "-b");
        var zero = Opt<int?>("--zero-code", "Zero code z (default: 2^b−1 for srelu, levels spanning [−1, 1]; 0 for bn)", null);
        var reluClip = Opt("--relu-clip", "BN family: top quantization level (L−1)·Δ", defaults.ReluClip);
        var bnAffine = Opt("--bn-affine", "BN family: learn a per-channel scale and offset after each pre-activation batch norm (folded into the thresholds on export)", false);
        var temp = Opt<string?>("--temperature", "Initial logit temperature T, or auto: started from the data, the T that gives the first batch's logits the spread the authors' T = 40 gives their network (default: auto for srelu, 1 for bn)", null);
        var fixedTemp = Opt("--fixed-temperature", "Keep T fixed instead of learning it", false);
        var learnedStep = Opt("--learned-step", "srelu family: learn each quantizer's step (its input scale; LSQ), started from the data; folds into the per-layer thresholds", false);
        var channelOffsets = Opt("--channel-offsets", "srelu family: learn an offset per channel before every quantizer (centring without batch statistics); folds into per-channel thresholds", false);
        var branchGain = Opt<double?>("--branch-gain", "Learn a scalar gain on every residual branch, starting at this value (0 = SkipInit); folds into the residual multiplier", null);

        var epochs = Opt("--epochs", "Epochs (with --warm-restarts pick a cycle end: 2, 6, 14, 30, 62, 126, 254 for --first-cycle 2)", defaults.Epochs, "-e");
        var batch = Opt("--batch-size", "Mini-batch size", defaults.BatchSize);
        var lr = Opt("--lr", "Initial learning rate (cosine decay per iteration)", defaults.LearningRate);
        var minLr = Opt("--min-lr", "Learning rate at the end of a cosine cycle", defaults.MinLearningRate);
        var momentum = Opt("--momentum", "SGD momentum", defaults.Momentum);
        var wd = Opt("--weight-decay", "L2 weight decay on the latent weights", defaults.WeightDecay);
        var restarts = Opt("--warm-restarts", "Cosine warm restarts (SGDR) with cycles of F, 2F, 4F … epochs", false);
        var firstCycle = Opt("--first-cycle", "Length F of the first warm-restart cycle (epochs)", defaults.FirstCycle);
        var noFlip = Opt("--no-flip", "Disable random horizontal flips", false);
        var cropPad = Opt("--crop-padding", "Random-crop padding in pixels (0 = off)", defaults.Augmentation.CropPadding);
        var cutout = Opt("--cutout", "Cutout square size in pixels (0 = off)", defaults.Augmentation.Cutout);
        var seed = Opt("--seed", "Random seed (weights, shuffling, augmentation)", defaults.Seed);
        var threads = Opt("--threads", "Torch intra-op threads (0 = default)", defaults.Threads);
        var device = Opt("--device", $"cpu, cuda or cuda:N (CUDA needs the trainer built with -p:{TrainingDevice.BuildProperty}=cuda); not stored in checkpoints, so a run may resume on another device", defaults.Device.ToString());

        var output = Opt("--output", "Output directory (checkpoint.obck, curves.csv/.png, <name>.obmx)", defaults.OutputDirectory, "-o");
        var name = Opt("--name", "Model name (export file name and metadata)", defaults.ModelName);
        var resume = Opt<string?>("--resume", "Continue the run whose checkpoint.obck is in this directory (or this file) with its hyperparameters; only --threads, --device, and with warm restarts --epochs (to a cycle end), may change", null);
        var stopAfter = Opt<int?>("--stop-after", "Stop after this many epochs in total, as if interrupted (resume later with --resume)", null);

        cmd.SetAction((parse, cancel) =>
        {
            var augmentation = new AugmentationOptions
            {
                Flip = !parse.GetValue(noFlip), CropPadding = parse.GetValue(cropPad), Cutout = parse.GetValue(cutout),
            };
            var options = new TrainOptions
            {
                Dataset = parse.GetValue(dataset)!, DataPath = parse.GetValue(data), ValidationPerClass = parse.GetValue(valPerClass),
                ImageChannels = parse.GetValue(imgChannels), MaxTrainImages = parse.GetValue(maxTrain), InputSize = parse.GetValue(inputSize), EvaluateTest = !parse.GetValue(noTest),
                Family = parse.GetValue(family) switch
                {
                    "srelu" or "resnet_srelu" => NetworkFamily.ResNetSRelu,
                    "bn" or "resnet_bn" => NetworkFamily.ResNetBatchNorm,
                    var f => throw new ArgumentException($"unknown family '{f}' (srelu or bn)"),
                },
                Depth = parse.GetValue(depth), Width = parse.GetValue(width), BaseChannels = parse.GetValue(baseChannels), Bits = parse.GetValue(bits), ZeroCode = parse.GetValue(zero),
                ReluClip = parse.GetValue(reluClip), BatchNormAffine = parse.GetValue(bnAffine), Temperature = ParseTemperature(parse.GetValue(temp)).Value, AutoTemperature = ParseTemperature(parse.GetValue(temp)).Auto,
                LearnTemperature = !parse.GetValue(fixedTemp), LearnedStep = parse.GetValue(learnedStep), BranchGain = parse.GetValue(branchGain), ChannelOffsets = parse.GetValue(channelOffsets),
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                MinLearningRate = parse.GetValue(minLr), Momentum = parse.GetValue(momentum), WeightDecay = parse.GetValue(wd),
                WarmRestarts = parse.GetValue(restarts), FirstCycle = parse.GetValue(firstCycle), Augmentation = augmentation,
                Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
                OutputDirectory = parse.GetValue(output)!, ModelName = parse.GetValue(name)!,
                CommandLine = "onebit " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote)),
            };
            var overrides = (Threads: Given(parse, threads) ? parse.GetValue(threads) : (int?)null,
                Epochs: Given(parse, epochs) ? parse.GetValue(epochs) : (int?)null);
            return Task.FromResult(Run(options, parse.GetValue(device)!, parse.GetValue(resume), overrides, parse.GetValue(shared), parse.GetValue(stopAfter), cancel));
        });
        return cmd;
    }

    /// <summary>"auto", a positive number (the initial T), or null: the family's default (TrainOptions.AutoTemperature).</summary>
    static (double Value, bool? Auto) ParseTemperature(string? text)
    {
        if (text is null) return (1.0, null);
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return (1.0, true);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double t) && t > 0 && double.IsFinite(t))
            return (t, false);
        throw new ArgumentException($"--temperature '{text}': expected a positive number or auto");
    }

    static string Quote(string a) => a.Length > 0 && a.All(ch => char.IsLetterOrDigit(ch) || "-_./=:,+".Contains(ch)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    static bool Given<T>(ParseResult parse, Option<T> option) => parse.GetResult(option) is { Implicit: false };

    /// <param name="device">The --device text, parsed here so that a bad value is a user error like the others.</param>
    static int Run(TrainOptions options, string device, string? resumePath, (int? Threads, int? Epochs) overrides, string? shared, int? stopAfter, CancellationToken cancel)
    {
        try
        {
            options = options with { Device = TrainingDevice.Parse(device) };
            Checkpoint? ck = null;
            if (resumePath is not null)
            {
                ck = Checkpoint.Load(resumePath);
                string outDir = Directory.Exists(resumePath) ? resumePath : Path.GetDirectoryName(Path.GetFullPath(resumePath))!;
                options = (ck.Options with { OutputDirectory = outDir, Device = options.Device }).ForResume(overrides.Threads, overrides.Epochs, ck.EpochsDone);
                AnsiConsole.MarkupLineInterpolated($"[grey]resuming {outDir} after epoch {ck.EpochsDone}/{ck.Options.Epochs} with the original hyperparameters[/]");
            }
            options.Validate();
            options.Device.EnsureAvailable();   // before the dataset is loaded
            if (options.WarmRestarts && !LearningRateSchedule.CycleEnds(options.FirstCycle).TakeWhile(e => e <= options.Epochs).Contains(options.Epochs))
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning: {options.Epochs} epochs end inside a warm-restart cycle (cycle ends: {string.Join(", ", LearningRateSchedule.CycleEnds(options.FirstCycle).TakeWhile(e => e <= 2 * options.Epochs))}); the run stops at a high learning rate[/]");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var data = AnsiConsole.Status().Start("loading dataset…", _ => DatasetLoader.Load(options, shared is null ? null : SharedPaths.Resolve(shared)));
            AnsiConsole.MarkupLineInterpolated($"[grey]{data.Name}: {data.Train.Count} train / {data.Validation.Count} validation{(data.Test is null ? "" : $" / {data.Test.Count} test")} images, {data.Train.Width}×{data.Train.Height}×{data.Train.Channels}, loaded in {sw.Elapsed.TotalSeconds:F1} s[/]");

            TrainResult result = null!;
            if (Console.IsOutputRedirected) // log file: plain lines every 30 s instead of a redrawn bar
                result = new Trainer(options, data, new ProgressObserver(null), ck).RunResuming(stopAfterEpochs: stopAfter, cancel: cancel);
            else
                AnsiConsole.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx => result = new Trainer(options, data, new ProgressObserver(ctx), ck).RunResuming(stopAfterEpochs: stopAfter, cancel: cancel));

            var inv = System.Globalization.CultureInfo.InvariantCulture;
            string testText = result.TestAccuracy is { } t ? ", test accuracy " + t.ToString("P2", inv) : "";
            AnsiConsole.MarkupLineInterpolated($"epochs {result.EpochsDone}/{options.Epochs}, validation accuracy {result.ValidationAccuracy.ToString("P2", inv)}{testText}, wall time {result.ElapsedSeconds:F0} s");
            if (result.ExportPath is not null) AnsiConsole.MarkupLineInterpolated($"export: {result.ExportPath}");
            else AnsiConsole.MarkupLineInterpolated($"[yellow]stopped; continue with: onebit train --resume {options.OutputDirectory}[/]");
            return 0;
        }
        catch (Exception e) when (e is DatasetFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                      or DeviceUnavailableException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }
    }

    sealed class ProgressObserver : ITrainingObserver
    {
        readonly ProgressTask? _task;
        DateTime _lastPlain = DateTime.MinValue;

        /// <param name="ctx">Spectre progress context; null = plain text lines (output redirected).</param>
        public ProgressObserver(ProgressContext? ctx)
        {
            _task = ctx?.AddTask("training", maxValue: 1.0);
        }

        public void OnMessage(string message) => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]");

        public void OnBatch(in BatchProgress p)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (_task is not null)
            {
                _task.Description = $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss.ToString("F3", inv)} acc {p.Accuracy.ToString("P1", inv)} {p.ImagesPerSecond.ToString("F0", inv)} img/s ETA {TimeSpan.FromSeconds(p.EtaSeconds):hh\\:mm\\:ss}";
                _task.Value = ((p.Epoch - 1) + (double)p.Batch / p.Batches) / p.Epochs;
            }
            else if ((DateTime.UtcNow - _lastPlain).TotalSeconds >= 30 || p.Batch == p.Batches)
            {
                _lastPlain = DateTime.UtcNow;
                Console.WriteLine($"  epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss.ToString("F4", inv)} acc {p.Accuracy.ToString("F4", inv)} {p.ImagesPerSecond.ToString("F0", inv)} img/s lr {p.LearningRate.ToString("G4", inv)} ETA {TimeSpan.FromSeconds(p.EtaSeconds):hh\\:mm\\:ss}");
            }
        }

        public void OnEpoch(EpochRecord r, int epochs)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            AnsiConsole.MarkupLineInterpolated($"epoch {r.Epoch}/{epochs}: train loss {r.TrainLoss.ToString("F4", inv)} acc {r.TrainAccuracy.ToString("P2", inv)} | val loss {r.ValidationLoss.ToString("F4", inv)} acc {r.ValidationAccuracy.ToString("P2", inv)} | {r.ImagesPerSecond.ToString("F0", inv)} img/s, {r.EpochSeconds.ToString("F0", inv)} s");
        }
    }
}
