using OneBit.Paths;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>A committed model blob, models/NAME/NAME.obnb, as a benchmark parameter.</summary>
public sealed class ModelBlob : IBinaryMacs
{
    /// <summary>The fast device-class CIFAR-10 model (depth 8, 16/32/64 channels, 16×16 input).</summary>
    public const string Fast = "cifar10-bn8-c16-i16-b2";
    /// <summary>The accurate device-class CIFAR-10 model (depth 20, 16/32/64 channels); benchmarked once its blob exists.</summary>
    public const string Accurate = "cifar10-bn20-1-b2-affine";

    private readonly Lazy<long> _binaryMacs;

    public ModelBlob(string name)
    {
        Name = name;
        _binaryMacs = new Lazy<long>(() => CountBinaryMacs(Load()));
    }

    public string Name { get; }
    public string BlobPath => RepositoryPaths.ModelBlob(Name);

    /// <summary>The fast model always (a missing blob fails the benchmark's setup), the accurate one if its blob is there.</summary>
    public static IEnumerable<ModelBlob> Committed()
    {
        yield return new ModelBlob(Fast);
        if (File.Exists(RepositoryPaths.ModelBlob(Accurate))) yield return new ModelBlob(Accurate);
    }

    /// <summary>A fresh parse of the blob (every call returns a new Network; kernels that take over weights need their own).</summary>
    public Network Load()
    {
        if (!File.Exists(BlobPath)) throw new FileNotFoundException($"model blob {BlobPath} is missing", BlobPath);
        return BlobReader.Read(File.ReadAllBytes(BlobPath), long.MaxValue);
    }

    /// <summary>`onebit inspect`'s "binary MACs per frame": the stem and every conv, padded taps included.</summary>
    public long BinaryMacs => _binaryMacs.Value;

    private static long CountBinaryMacs(Network net)
    {
        long macs = 0;
        foreach (Layer layer in net.Layers)
        {
            if (layer is StemLayer s) macs += (long)s.Height * s.Width * s.OutChannels * s.KernelSize * s.KernelSize * s.InChannels;
            else if (layer is ConvLayer c) macs += (long)c.OutHeight * c.OutWidth * c.OutChannels * c.KernelSize * c.KernelSize * c.InChannels;
        }
        return macs;
    }

    public override string ToString() => Name;
}
