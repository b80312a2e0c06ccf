using OneBit.Paths;

namespace OneBit.Datasets;

/// <summary>
/// Resolves the dataset argument of convert/verify/eval: a known name (fashion-mnist[:train|:test],
/// cifar10-jpeg[:val|:train], cifar10:DIR, cifar100:DIR) or a path to an ImageFolder directory or .tar.gz.
/// </summary>
public static class DatasetSpec
{
    public const string Help = "Dataset: fashion-mnist[:train|:test], cifar10-jpeg[:val|:train] (../shared; val = the trainer's held-out " +
        "500 per class), cifar10:DIR, cifar100:DIR (binary), or an ImageFolder directory/.tar.gz";

    public static ImageSet Load(string spec, string? shared, int channels = 3)
    {
        string[] parts = spec.Split(':', 2);
        string name = parts[0].ToLowerInvariant();
        switch (name)
        {
            case "fashion-mnist":
                return FashionMnistIdx.Load(FashionMnistIdx.DefaultDirectory, test: parts.Length > 1 && parts[1] == "test");
            case "cifar10-jpeg":
                var all = ImageFolder.Load(Path.Combine(SharedPaths.Resolve(shared), "datasets", "cifar10-train-jpeg.tar.gz"), channels);
                if (parts.Length == 1) return all;
                return parts[1] switch
                {
                    "val" => all.SplitLastPerClass(ImageSet.DefaultValidationPerClass).Validation,
                    "train" => all.SplitLastPerClass(ImageSet.DefaultValidationPerClass).Train,
                    var p => throw new ArgumentException($"unknown split '{p}' of cifar10-jpeg (val or train). {Help}"),
                };
            case "cifar10":
            case "cifar100":
                if (parts.Length < 2) throw new ArgumentException($"{name} needs its directory: {name}:DIR (the binary version)");
                return CifarBinary.Load(parts[1], name == "cifar100", test: File.Exists(Path.Combine(parts[1], name == "cifar100" ? "test.bin" : "test_batch.bin")));
            default:
                if (!File.Exists(spec) && !Directory.Exists(spec)) throw new ArgumentException($"dataset '{spec}' is neither a known name nor an existing path. {Help}");
                return ImageFolder.Load(spec, channels);
        }
    }

    /// <summary>
    /// The dataset as a model with a <paramref name="height"/>×<paramref name="width"/>×<paramref name="channels"/> input
    /// sees it: images of another size are brought to the input with the device's preprocessing (center crop, area
    /// resize; <see cref="ModelInputResize"/>), which is also how `onebit train --input-size` made its training images.
    /// </summary>
    public static ImageSet LoadForModel(string spec, string? shared, int height, int width, int channels)
    {
        ImageSet set = Load(spec, shared, channels);
        if (set.Channels != channels)
            throw new ArgumentException($"the dataset has {set.Channels}-channel images, the model takes {channels} channels");
        if (set.Height == height && set.Width == width) return set;
        Console.Error.WriteLine($"dataset images {set.Height}x{set.Width} area-resized to the model's {height}x{width} input (the device's preprocessing)");
        return set.ResizedTo(height, width);
    }

    /// <summary>Evenly spread indices, so a small sample covers every class of class-sorted sets.</summary>
    public static int[] Spread(int count, int wanted)
    {
        wanted = Math.Min(count, wanted);
        return Enumerable.Range(0, wanted).Select(i => (int)((long)i * count / wanted)).ToArray();
    }
}
