namespace OneBit.Datasets;

/// <summary>
/// A labelled image set held in memory as bytes, image-major then HWC (the runtime's layout,
/// CONTRACT.md §4 stem input). Loaders: <see cref="FashionMnistIdx"/>, <see cref="CifarBinary"/>,
/// <see cref="ImageFolder"/>.
/// </summary>
public sealed class ImageSet
{
    public int Count => Labels.Length;
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public string[] ClassNames { get; }
    public int ImageSize => Height * Width * Channels;

    public ImageSet(int height, int width, int channels, byte[] pixels, int[] labels, string[] classNames)
    {
        if ((long)height * width * channels * labels.Length != pixels.LongLength)
            throw new ArgumentException($"pixel buffer holds {pixels.LongLength} bytes, {labels.Length} images of {height}×{width}×{channels} need {(long)height * width * channels * labels.Length}");
        foreach (int l in labels)
            if (l < 0 || l >= classNames.Length) throw new ArgumentException($"label {l} outside 0…{classNames.Length - 1}");
        Height = height; Width = width; Channels = channels; Pixels = pixels; Labels = labels; ClassNames = classNames;
    }

    public ReadOnlySpan<byte> Image(int i) => Pixels.AsSpan(i * ImageSize, ImageSize);

    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        int sz = ImageSize;
        var px = new byte[(long)indices.Count * sz];
        var lb = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Buffer.BlockCopy(Pixels, indices[k] * sz, px, k * sz, sz);
            lb[k] = Labels[indices[k]];
        }
        return new ImageSet(Height, Width, Channels, px, lb, ClassNames);
    }

    /// <summary>The trainer's default hold-out per class, so a `:val` split (<see cref="DatasetSpec"/>) is the split
    /// every model card's validation accuracy was measured on.</summary>
    public const int DefaultValidationPerClass = 500;

    /// <summary>Holds out the last <paramref name="perClass"/> images of every class (in file order) as the
    /// validation split; the rest, in file order, is the training split. Deterministic, so every run and
    /// every model card measures on the same images.</summary>
    public (ImageSet Train, ImageSet Validation) SplitLastPerClass(int perClass)
    {
        if (perClass <= 0) return (this, Subset(Array.Empty<int>()));
        var byClass = new List<int>[ClassNames.Length];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
        for (int i = 0; i < Count; i++) byClass[Labels[i]].Add(i);
        var held = new HashSet<int>();
        for (int c = 0; c < byClass.Length; c++)
        {
            var l = byClass[c];
            if (l.Count <= perClass) throw new ArgumentException($"class '{ClassNames[c]}' has {l.Count} images, cannot hold out {perClass} for validation");
            for (int k = l.Count - perClass; k < l.Count; k++) held.Add(l[k]);
        }
        var train = new List<int>(); var val = new List<int>();
        for (int i = 0; i < Count; i++) (held.Contains(i) ? val : train).Add(i);
        return (Subset(train), Subset(val));
    }

    /// <summary>Per-channel pixel mean and standard deviation (0…255 units), for the input affine.</summary>
    public (double[] Mean, double[] Std) ChannelStatistics()
    {
        var sum = new double[Channels]; var sq = new double[Channels];
        for (long i = 0; i < Pixels.LongLength; i++) { int c = (int)(i % Channels); double v = Pixels[i]; sum[c] += v; sq[c] += v * v; }
        double n = (double)Pixels.LongLength / Channels;
        var mean = new double[Channels]; var std = new double[Channels];
        for (int c = 0; c < Channels; c++)
        {
            mean[c] = sum[c] / n;
            std[c] = Math.Sqrt(Math.Max(sq[c] / n - mean[c] * mean[c], 1e-6));
        }
        return (mean, std);
    }
}

/// <summary>Missing or malformed dataset files. The message names the file and the format expected.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
