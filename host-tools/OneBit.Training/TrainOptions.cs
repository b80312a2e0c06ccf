using System.Text.Json.Serialization;
using OneBit.Datasets;

namespace OneBit.Training;

/// <summary>Every hyperparameter of a run. Defaults are the paper's recipe (McDonnell 2018 §3, 2019 §4):
/// SGD momentum 0.9, weight decay 5e-4 on the latent weights, batch 125, lr 0.1 with cosine decay, flips,
/// pad-4 crops, cutout. Stored in every checkpoint, so a resumed run uses exactly the same values.</summary>
public sealed record TrainOptions
{
    // data
    /// <summary>fashion-mnist, cifar10, cifar100, imagefolder (see <see cref="DatasetLoader"/>).</summary>
    public string Dataset { get; init; } = "fashion-mnist";
    /// <summary>Directory or archive; null = the dataset's default location.</summary>
    public string? DataPath { get; init; }
    /// <summary>Last N images of every class held out for validation.</summary>
    public int ValidationPerClass { get; init; } = ImageSet.DefaultValidationPerClass;
    /// <summary>ImageFolder decoding: 3 (RGB) or 1 (luminance).</summary>
    public int ImageChannels { get; init; } = 3;
    /// <summary>Use only a fixed pseudo-random subset of N training images (after the hold-out); 0 = all. For quick runs.</summary>
    public int MaxTrainImages { get; init; }
    /// <summary>Square model input side; the images are brought to it with the device's preprocessing
    /// (<see cref="ModelInputResize"/>). 0 = the dataset's own size.</summary>
    public int InputSize { get; init; }
    /// <summary>Also report accuracy on the dataset's test split when it has one.</summary>
    public bool EvaluateTest { get; init; } = true;

    // network
    public NetworkFamily Family { get; init; } = NetworkFamily.ResNetSRelu;
    public int Depth { get; init; } = 20;
    public int Width { get; init; } = 1;
    public int BaseChannels { get; init; } = 16;
    public int Bits { get; init; } = 2;
    public int? ZeroCode { get; init; }
    public double ReluClip { get; init; } = 2.0;
    /// <summary>BN family: learned per-channel scale and offset after each pre-activation BN (<see cref="NetworkConfig.BatchNormAffine"/>).</summary>
    public bool BatchNormAffine { get; init; }
    public double Temperature { get; init; } = 1.0;
    public bool LearnTemperature { get; init; } = true;
    /// <summary>Start T from the data instead of <see cref="Temperature"/> (<see cref="DataDependentStart"/>). Null = the
    /// family's default: from the data for shifted ReLU, whose raw logit scale depends on depth, width and activation
    /// bits; <see cref="Temperature"/> for batch norm, whose head batch norm fixes that scale.</summary>
    public bool? AutoTemperature { get; init; }

    public bool StartsTemperatureFromData => AutoTemperature ?? Family == NetworkFamily.ResNetSRelu;
    /// <summary>Shifted-ReLU family: learned per-layer quantizer steps (<see cref="NetworkConfig.LearnedStep"/>).</summary>
    public bool LearnedStep { get; init; }
    /// <summary>Initial value of the learned residual-branch gain (<see cref="NetworkConfig.BranchGain"/>); null = none.</summary>
    public double? BranchGain { get; init; }
    /// <summary>Shifted-ReLU family: learned per-channel offsets before every quantizer (<see cref="NetworkConfig.ChannelOffsets"/>).</summary>
    public bool ChannelOffsets { get; init; }

    // optimization
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 125;
    public double LearningRate { get; init; } = 0.1;
    public double MinLearningRate { get; init; }
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public bool WarmRestarts { get; init; }
    public int FirstCycle { get; init; } = 2;
    public AugmentationOptions Augmentation { get; init; } = new();
    public long Seed { get; init; } = 1;
    /// <summary>Torch intra-op threads; 0 = TorchSharp's default.</summary>
    public int Threads { get; init; }
    /// <summary>Where the tensors live. Not stored in checkpoints: a resumed run uses the resuming command's device.</summary>
    [JsonIgnore] public TrainingDevice Device { get; init; } = TrainingDevice.Cpu;

    // run
    public string OutputDirectory { get; init; } = "runs/train";
    public string ModelName { get; init; } = "model";
    /// <summary>The command line that started the run (recorded in the export and the model card).</summary>
    public string? CommandLine { get; init; }

    public LearningRateSchedule Schedule() => new(LearningRate, MinLearningRate, Epochs, WarmRestarts, FirstCycle);

    /// <summary>The options of a resumed run. Only what leaves the finished epochs valid may change: the thread count
    /// (speed, not the schedule), and, with warm restarts, the length to another cycle end, since the learning rate up
    /// to any cycle end does not depend on the total (e.g. end at 21 instead of 45 with first cycle 3).</summary>
    public TrainOptions ForResume(int? threads, int? epochs, int epochsDone)
    {
        var o = this;
        if (threads is int t) o = o with { Threads = t };
        if (epochs is int e && e != Epochs)
        {
            var ends = LearningRateSchedule.CycleEnds(FirstCycle).TakeWhile(x => x <= Math.Max(e, Epochs)).ToList();
            if (!WarmRestarts || !ends.Contains(e))
                throw new ArgumentException($"--epochs {e} on --resume: only a run with --warm-restarts can change its length, and only to a cycle end" +
                    (WarmRestarts ? $" ({string.Join(", ", ends)})" : ""));
            if (e < epochsDone) throw new ArgumentException($"--epochs {e} on --resume: the checkpoint has already done {epochsDone} epochs");
            o = o with { Epochs = e };
        }
        return o;
    }

    public void Validate()
    {
        if (Depth < 8 || (Depth - 2) % 6 != 0) throw new ArgumentException($"depth {Depth} is not 6n+2 with n ≥ 1 (8, 14, 20, 26, …)");
        if (Width < 1) throw new ArgumentException("width must be ≥ 1");
        if (BaseChannels < 1) throw new ArgumentException("base channels must be ≥ 1");
        if (Bits is not (0 or 1 or 2 or 4 or 8)) throw new ArgumentException($"bits {Bits} not in {{0 (float), 1, 2, 4, 8}}");
        if (InputSize < 0) throw new ArgumentException("input size must be ≥ 0 (0 = the dataset's own)");
        if (Epochs < 1) throw new ArgumentException("epochs must be ≥ 1");
        if (BatchSize < 1) throw new ArgumentException("batch size must be ≥ 1");
        if (LearningRate <= 0) throw new ArgumentException("learning rate must be > 0");
        if (Momentum is < 0 or >= 1) throw new ArgumentException("momentum must be in [0, 1)");
        if (WeightDecay < 0) throw new ArgumentException("weight decay must be ≥ 0");
        if (BatchNormAffine && Family != NetworkFamily.ResNetBatchNorm) throw new ArgumentException("--bn-affine needs --family bn");
        if (FirstCycle < 1) throw new ArgumentException("first cycle must be ≥ 1 epoch");
        if (LearnedStep && (Family != NetworkFamily.ResNetSRelu || Bits == 0)) throw new ArgumentException("--learned-step needs --family srelu and --bits 1, 2, 4 or 8");
        if (ChannelOffsets && Family != NetworkFamily.ResNetSRelu) throw new ArgumentException("--channel-offsets needs --family srelu (the bn family has --bn-affine)");
    }
}
