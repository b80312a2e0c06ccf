using System.Diagnostics;
using OneBit.Datasets;
using OneBit.ModelExport;
using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>What a finished (or stopped) run produced.</summary>
public sealed record TrainResult(int EpochsDone, bool Completed, double ValidationAccuracy, double? TestAccuracy,
    double ElapsedSeconds, IReadOnlyList<EpochRecord> History, string? ExportPath, long ParameterCount);

/// <summary>
/// The training loop: epoch = shuffle (per-epoch RNG) → mini-batches of augmented images → cross-entropy →
/// backward → SGD step at the cosine schedule's lr for that iteration; then validation, atomic checkpoint,
/// curves (CSV, PNG). After the last epoch the model is exported (FORMAT.md) to &lt;out&gt;/&lt;name&gt;.obmx.
/// Files in the output directory: checkpoint.obck, curves.csv, curves.png, &lt;name&gt;.obmx.
/// </summary>
public sealed class Trainer
{
    readonly TrainOptions _o;
    readonly DatasetSplits _data;
    readonly ITrainingObserver _obs;
    readonly Checkpoint? _resume;
    bool _checkpointWritten;

    /// <param name="resume">Checkpoint to continue from. Its options are the run's, so the schedule and random streams
    /// are those of the original run; <paramref name="options"/> contributes only the output directory and what
    /// <see cref="TrainOptions.ForResume"/> lets change (threads, a warm-restart run's length), and the device, which the
    /// checkpoint does not record.</param>
    /// <exception cref="DeviceUnavailableException">CUDA asked for and not usable by this build on this machine.</exception>
    public Trainer(TrainOptions options, DatasetSplits data, ITrainingObserver? observer = null, Checkpoint? resume = null)
    {
        _resume = resume;
        _o = resume is null ? options
            : resume.Options.ForResume(options.Threads, options.Epochs == resume.Options.Epochs ? null : options.Epochs, resume.EpochsDone)
                with { OutputDirectory = options.OutputDirectory, Device = options.Device };
        _o.Validate();
        _o.Device.EnsureAvailable();
        _data = data;
        _obs = observer ?? new NullObserver();
    }

    sealed class NullObserver : ITrainingObserver { }

    public static NetworkConfig NetworkFor(TrainOptions o, ImageSet train)
    {
        var (mean, std) = train.ChannelStatistics();
        return new NetworkConfig
        {
            Family = o.Family, Depth = o.Depth, Width = o.Width, BaseChannels = o.BaseChannels, Bits = o.Bits, ZeroCode = o.ZeroCode, ReluClip = o.ReluClip, BatchNormAffine = o.BatchNormAffine,
            InputChannels = train.Channels, InputHeight = train.Height, InputWidth = train.Width, Classes = train.ClassNames.Length,
            Mean = mean, Std = std, Temperature = o.Temperature, LearnTemperature = o.LearnTemperature,
            LearnedStep = o.LearnedStep, BranchGain = o.BranchGain, ChannelOffsets = o.ChannelOffsets,
        };
    }

    /// <summary>How often <see cref="RunResuming"/> restarts from the last checkpoint by default.</summary>
    public const int DefaultMaxRecoveries = 3;

    /// <summary>
    /// <see cref="Run"/>, resumed from the last checkpoint (or restarted from the start, before the first one) when
    /// libtorch fails with an <see cref="System.Runtime.InteropServices.ExternalException"/>, at most
    /// <paramref name="maxRecoveries"/> times; each recovery is reported through the observer. The known cause of such
    /// failures, Scalars freed by their finalizer, is removed (<see cref="TensorOps"/>); this guards a long run against
    /// whatever native failure remains. Checkpoints are whole epochs and every epoch's random stream is its own, so a
    /// recovered run ends with the weights of an uninterrupted one.
    /// </summary>
    public TrainResult RunResuming(int maxRecoveries = DefaultMaxRecoveries, int? stopAfterEpochs = null, CancellationToken cancel = default)
    {
        var trainer = this;
        for (int recoveries = 0; ; recoveries++)
        {
            try { return trainer.Run(stopAfterEpochs, cancel); }
            catch (System.Runtime.InteropServices.ExternalException e) when (recoveries < maxRecoveries)
            {
                // Only a checkpoint this run wrote: the directory may hold an older run's.
                var ck = trainer._checkpointWritten ? Checkpoint.Load(Path.Combine(_o.OutputDirectory, Checkpoint.FileName)) : trainer._resume;
                string firstLine = e.Message.Split('\n')[0];
                _obs.OnMessage($"libtorch failed ({firstLine}); recovery {recoveries + 1} of {maxRecoveries}: " +
                               (ck is null ? "restarting from the start" : $"resuming after epoch {ck.EpochsDone}"));
                trainer = new Trainer(_o, _data, _obs, ck);
            }
        }
    }

    /// <param name="stopAfterEpochs">Stop (as if interrupted) once this many epochs are done; null = run to the end.</param>
    public TrainResult Run(int? stopAfterEpochs = null, CancellationToken cancel = default)
    {
        var train = _data.Train;
        var netCfg = _resume?.Network ?? NetworkFor(_o, train);
        _obs.OnMessage(LibTorchBackend.ChooseFor(netCfg));
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        Directory.CreateDirectory(_o.OutputDirectory);
        torch.manual_seed(_o.Seed);
        var device = _o.Device.Torch;
        // Built (and seeded) on the CPU, so a seed gives the same initial weights on every device; moved before the
        // optimizer takes its parameters, since moving replaces them.
        using var net = new OneBitResNet(netCfg);
        net.to(device);
        var named = net.named_parameters().ToList();
        var latent = new HashSet<TorchSharp.Modules.Parameter>(net.LatentWeights());
        var opt = new SgdMomentum(named.Select(p => (p.name, p.parameter, latent.Contains(p.parameter))), _o.Momentum, _o.WeightDecay);

        var history = new List<EpochRecord>();
        int startEpoch = 0; double elapsedBefore = 0;
        if (_resume is not null)
        {
            Restore(net, opt, _resume, device);
            history.AddRange(_resume.History);
            startEpoch = _resume.EpochsDone; elapsedBefore = _resume.ElapsedSeconds;
            _obs.OnMessage($"resumed after epoch {startEpoch} of {_o.Epochs}");
        }
        _obs.OnMessage($"{netCfg.FamilyName}-{netCfg.Depth}-{netCfg.Width} b={netCfg.Bits}: {net.ParameterCount:N0} binary weights; " +
                       $"{train.Count} training / {_data.Validation.Count} validation images");

        var schedule = _o.Schedule();
        var aug = new Augmenter(_o.Augmentation, netCfg.Mean);
        int bs = _o.BatchSize, n = train.Count, batches = (n + bs - 1) / bs;
        int c = train.Channels, h = train.Height, w = train.Width;
        var buffer = new float[bs * c * h * w];
        var labels = new long[bs];
        if (_resume is null && (netCfg.LearnedStep || _o.StartsTemperatureFromData))
            StartFromData(net, train, buffer, device);
        var wall = Stopwatch.StartNew();
        int lastEpoch = stopAfterEpochs is { } s ? Math.Min(s, _o.Epochs) : _o.Epochs;
        bool stopped = false;

        for (int epoch = startEpoch; epoch < lastEpoch; epoch++)
        {
            var rng = DeterministicRng.ForEpoch(_o.Seed, epoch);
            var order = Enumerable.Range(0, n).ToArray();
            rng.Shuffle(order);
            net.train();
            var ew = Stopwatch.StartNew();
            double lossSum = 0; long correct = 0, seen = 0; double lr = 0;
            for (int b = 0; b < batches; b++)
            {
                if (cancel.IsCancellationRequested) { stopped = true; break; }
                int start = b * bs, count = Math.Min(bs, n - start);
                for (int k = 0; k < count; k++)
                {
                    aug.Fill(train, order[start + k], buffer, k, rng);
                    labels[k] = train.Labels[order[start + k]];
                }
                lr = schedule.At(epoch, b, batches);
                using (var scope = NewDisposeScope())
                {
                    var x = tensor(buffer.AsSpan(0, count * c * h * w).ToArray(), new long[] { count, c, h, w }, device: device);
                    var y = tensor(labels.AsSpan(0, count).ToArray(), new long[] { count }, device: device);
                    opt.ZeroGrad();
                    var logits = net.forward(x);
                    var loss = nn.functional.cross_entropy(logits, y);
                    loss.backward();
                    opt.Step(lr);
                    lossSum += loss.item<float>() * count;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    seen += count;
                }
                double ips = seen / Math.Max(1e-9, ew.Elapsed.TotalSeconds);
                double remainingImages = (double)(n - seen) + (double)(lastEpoch - epoch - 1) * n;
                _obs.OnBatch(new BatchProgress(epoch + 1, _o.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, ips, lr,
                    remainingImages / Math.Max(1e-9, ips)));
            }
            if (stopped) break;
            double trainSeconds = ew.Elapsed.TotalSeconds;
            var (vl, va) = Evaluate(net, _data.Validation);
            var rec = new EpochRecord(epoch + 1, lr, lossSum / seen, (double)correct / seen, vl, va, seen / trainSeconds,
                ew.Elapsed.TotalSeconds, elapsedBefore + wall.Elapsed.TotalSeconds);
            history.Add(rec);
            SaveCheckpoint(net, opt, netCfg, epoch + 1, rec.ElapsedSeconds, history);
            TrainingCurves.WriteCsv(Path.Combine(_o.OutputDirectory, "curves.csv"), history);
            try { TrainingCurves.WritePng(Path.Combine(_o.OutputDirectory, "curves.png"), history, TrainingCurves.Title(_o.ModelName, netCfg.FamilyName, netCfg.Depth, netCfg.Width, netCfg.Bits)); }
            catch (Exception e) when (e is not OutOfMemoryException) { _obs.OnMessage($"curves.png not written: {e.Message}"); }
            _obs.OnEpoch(rec, _o.Epochs);
        }

        int done = history.Count == 0 ? startEpoch : history[^1].Epoch;
        double elapsed = history.Count == 0 ? elapsedBefore : history[^1].ElapsedSeconds;
        bool completed = done >= _o.Epochs;
        double valAcc = history.Count == 0 ? double.NaN : history[^1].ValidationAccuracy;
        double? testAcc = null; string? exportPath = null;
        if (completed)
        {
            // Re-measured rather than taken from the history, so the exported accuracy is that of the exported
            // weights under this build's forward pass (also when re-exporting a finished run via --resume).
            valAcc = Evaluate(net, _data.Validation).Accuracy;
            if (_data.Test is { } test) testAcc = Evaluate(net, test).Accuracy;
            net.to(CPU);   // the export reads tensor data, which only CPU tensors expose
            exportPath = Path.Combine(_o.OutputDirectory, _o.ModelName + ModelExportFormat.FileExtension);
            var metrics = new ExportedMetrics
            {
                ValidationAccuracy = valAcc, ValidationCount = _data.Validation.Count, Dataset = _data.Name,
                TestAccuracy = testAcc, TestCount = _data.Test?.Count,
            };
            var model = ModelExporter.Build(net, _o.ModelName, train.ClassNames, metrics, Provenance(done, elapsed));
            ModelExportWriter.Write(exportPath, model);
            _obs.OnMessage($"exported {exportPath}");
        }
        return new TrainResult(done, completed, valAcc, testAcc, elapsed, history, exportPath, net.ParameterCount);
    }

    /// <summary><see cref="DataDependentStart"/> on the first batch of the training images in file order, unaugmented.</summary>
    void StartFromData(OneBitResNet net, ImageSet train, float[] buffer, Device device)
    {
        int count = Math.Min(_o.BatchSize, train.Count), c = train.Channels, h = train.Height, w = train.Width;
        var plain = new Augmenter(new AugmentationOptions(), net.Config.Mean);
        for (int k = 0; k < count; k++) plain.Fill(train, k, buffer, k, null);
        using var scope = NewDisposeScope();
        var x = tensor(buffer.AsSpan(0, count * c * h * w).ToArray(), new long[] { count, c, h, w }, device: device);
        double? t = DataDependentStart.Apply(net, x, _o.StartsTemperatureFromData);
        var steps = net.PreActivations().Where(a => a.step is not null).Select(a => a.step!.Current()).ToList();
        if (steps.Count > 0) _obs.OnMessage($"quantizer steps started from the data: {steps.Min():G3} … {steps.Max():G3}");
        if (t is double temp) _obs.OnMessage($"temperature started from the data: T = {temp:G4}{(net.Config.LearnTemperature ? " (learned from there)" : " (fixed)")}");
    }

    Dictionary<string, string> Provenance(int epochs, double seconds)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string>
        {
            ["command"] = _o.CommandLine ?? "",
            ["epochs"] = epochs.ToString(ci),
            ["wallSeconds"] = seconds.ToString("F0", ci),
            ["seed"] = _o.Seed.ToString(ci),
            ["batchSize"] = _o.BatchSize.ToString(ci),
            ["learningRate"] = _o.LearningRate.ToString(ci),
            ["schedule"] = _o.WarmRestarts ? $"cosine, warm restarts every {_o.FirstCycle}·2^i epochs" : "cosine",
            ["momentum"] = _o.Momentum.ToString(ci),
            ["weightDecay"] = _o.WeightDecay.ToString(ci),
            ["augmentation"] = $"flip={_o.Augmentation.Flip}, cropPadding={_o.Augmentation.CropPadding}, cutout={_o.Augmentation.Cutout}",
            ["trainImages"] = _data.Train.Count.ToString(ci),
            ["device"] = _o.Device.ToString(),
            ["trainer"] = "OneBit.Training (TorchSharp " + typeof(torch).Assembly.GetName().Version + ")",
        };
        return d;
    }

    /// <summary>Mean cross-entropy and top-1 accuracy in eval mode (BN uses running statistics).</summary>
    public static (double Loss, double Accuracy) Evaluate(OneBitResNet net, ImageSet set, int batchSize = 500)
    {
        if (set.Count == 0) return (double.NaN, double.NaN);
        bool wasTraining = net.training;
        net.eval();
        var aug = new Augmenter(new AugmentationOptions(), net.Config.Mean);
        var device = net.stem.weight.device;
        int c = set.Channels, h = set.Height, w = set.Width;
        var buf = new float[batchSize * c * h * w];
        double lossSum = 0; long correct = 0;
        using (no_grad())
        {
            for (int start = 0; start < set.Count; start += batchSize)
            {
                int count = Math.Min(batchSize, set.Count - start);
                for (int k = 0; k < count; k++) aug.Fill(set, start + k, buf, k, null);
                using var scope = NewDisposeScope();
                var x = tensor(buf.AsSpan(0, count * c * h * w).ToArray(), new long[] { count, c, h, w }, device: device);
                var y = tensor(set.Labels.AsSpan(start, count).ToArray().Select(l => (long)l).ToArray(), new long[] { count }, device: device);
                var logits = net.forward(x);
                lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
        }
        if (wasTraining) net.train();
        return (lossSum / set.Count, (double)correct / set.Count);
    }

    void SaveCheckpoint(OneBitResNet net, SgdMomentum opt, NetworkConfig cfg, int epochsDone, double elapsed, List<EpochRecord> history)
    {
        var ck = new Checkpoint { Options = _o, Network = cfg, EpochsDone = epochsDone, ElapsedSeconds = elapsed, History = new(history) };
        foreach (var (name, p) in net.named_parameters()) ck.Tensors["param/" + name] = ToArray(p);
        foreach (var (name, b) in net.named_buffers()) if (b.dtype == ScalarType.Float32) ck.Tensors["buffer/" + name] = ToArray(b);
        foreach (var (name, v) in opt.Buffers) ck.Tensors["momentum/" + name] = ToArray(v);
        ck.Save(Path.Combine(_o.OutputDirectory, Checkpoint.FileName));
        _checkpointWritten = true;
    }

    static (long[], float[]) ToArray(Tensor t)
    {
        using var c = t.detach().cpu().contiguous();
        return (c.shape, c.data<float>().ToArray());
    }

    /// <summary>Checkpoint arrays (CPU, device-free) into the network and the optimizer on <paramref name="device"/>.</summary>
    static void Restore(OneBitResNet net, SgdMomentum opt, Checkpoint ck, Device device)
    {
        using var _ = no_grad();
        void Copy(string key, Tensor dst)
        {
            if (!ck.Tensors.TryGetValue(key, out var v)) throw new InvalidDataException($"checkpoint lacks tensor '{key}'");
            if (!v.Shape.SequenceEqual(dst.shape)) throw new InvalidDataException($"checkpoint tensor '{key}' has shape [{string.Join(",", v.Shape)}], the network expects [{string.Join(",", dst.shape)}]");
            using var src = tensor(v.Data, v.Shape, device: device);
            dst.copy_(src);
        }
        foreach (var (name, p) in net.named_parameters()) Copy("param/" + name, p);
        foreach (var (name, b) in net.named_buffers()) if (b.dtype == ScalarType.Float32) Copy("buffer/" + name, b);
        foreach (var (key, v) in ck.Tensors)
            if (key.StartsWith("momentum/", StringComparison.Ordinal))
                opt.Buffers[key["momentum/".Length..]] = tensor(v.Data, v.Shape, device: device);
    }
}
