using OneBit.Datasets;
using OneBit.Paths;

namespace OneBit.Training;

/// <summary>Train/validation/test splits of a named dataset.</summary>
public sealed record DatasetSplits(string Name, ImageSet Train, ImageSet Validation, ImageSet? Test);

/// <summary>Maps a dataset name (CLI --dataset) to its loader and default location.</summary>
public static class DatasetLoader
{
    public static readonly string[] Names = { "fashion-mnist", "cifar10", "cifar100", "imagefolder", "cifar10-jpeg" };

    public static DatasetSplits Load(TrainOptions o, string? sharedDirectory = null)
    {
        ImageSet all; ImageSet? test = null;
        string name = o.Dataset.ToLowerInvariant();
        switch (name)
        {
            case "fashion-mnist":
            {
                string dir = o.DataPath ?? FashionMnistIdx.DefaultDirectory;
                all = FashionMnistIdx.Load(dir);
                if (o.EvaluateTest) test = FashionMnistIdx.Load(dir, test: true);
                break;
            }
            case "cifar10":
            case "cifar100":
            {
                bool c100 = name == "cifar100";
                string dir = o.DataPath ?? throw new DatasetFormatException(
                    $"--data is required for {name}: the directory of the binary version ({(c100 ? "cifar-100-binary" : "cifar-10-batches-bin")})");
                all = CifarBinary.Load(dir, c100);
                if (o.EvaluateTest && File.Exists(Path.Combine(dir, c100 ? "test.bin" : "test_batch.bin"))) test = CifarBinary.Load(dir, c100, test: true);
                break;
            }
            case "cifar10-jpeg":
            case "imagefolder":
            {
                string path = o.DataPath ?? (name == "cifar10-jpeg"
                    ? Path.Combine(sharedDirectory ?? SharedPaths.Resolve(null), "datasets", "cifar10-train-jpeg.tar.gz")
                    : throw new DatasetFormatException("--data is required for imagefolder: a directory or .tar.gz of <class>/<image> files"));
                all = ImageFolder.Load(path, o.ImageChannels);
                break;
            }
            default:
                throw new ArgumentException($"unknown dataset '{o.Dataset}'; known: {string.Join(", ", Names)}");
        }
        if (o.InputSize > 0)
        {
            all = all.ResizedTo(o.InputSize, o.InputSize);
            test = test?.ResizedTo(o.InputSize, o.InputSize);
        }
        var (train, val) = all.SplitLastPerClass(o.ValidationPerClass);
        if (o.MaxTrainImages > 0 && o.MaxTrainImages < train.Count)
        {
            // A fixed pseudo-random subset (kept in file order): files sorted by class (ImageFolder) would
            // otherwise give a first-N subset of one class.
            var idx = Enumerable.Range(0, train.Count).ToArray();
            new DeterministicRng(0x5EED).Shuffle(idx);
            train = train.Subset(idx.Take(o.MaxTrainImages).Order().ToArray());
        }
        return new DatasetSplits(name, train, val, test);
    }
}
