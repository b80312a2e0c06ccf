namespace OneBit.Benchmarks;

/// <summary>
/// One 3×3 binary conv layer shape (true-zero padding 1, as in the trained networks). The set below is the conv layers
/// of the device-class CIFAR-10 ResNets (16/32/64 channels at 32×32/16×16/8×8, plus the downsampling conv).
/// </summary>
public sealed class ConvShape : IBinaryMacs, IComparable<ConvShape>, IComparable
{
    public static readonly ConvShape[] DeviceClassCifar10 =
    {
        new(16, 16, 32, 1),
        new(32, 32, 16, 1),
        new(64, 64, 8, 1),
        new(16, 32, 32, 2),
    };

    public ConvShape(int inChannels, int outChannels, int inSize, int stride)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        InSize = inSize;
        Stride = stride;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    /// <summary>Input height = width.</summary>
    public int InSize { get; }
    public int Stride { get; }
    public int OutSize => (InSize + Stride - 1) / Stride;
    public const int KernelSize = 3;

    /// <summary>Every tap counted, padded ones included (the `onebit inspect` convention).</summary>
    public long BinaryMacs => (long)OutSize * OutSize * OutChannels * KernelSize * KernelSize * InChannels;

    /// <summary>Summary tables list the shapes in the order above (through the network), not alphabetically.</summary>
    public int CompareTo(ConvShape? other) => other is null ? 1 : Order(this).CompareTo(Order(other));

    public int CompareTo(object? other) => CompareTo(other as ConvShape);

    private static int Order(ConvShape s) => Array.FindIndex(DeviceClassCifar10, d => d.ToString() == s.ToString());

    public override string ToString() =>
        Stride == 1 ? $"{InChannels}@{InSize}x{InSize}" : $"{InChannels}>{OutChannels}@{InSize}x{InSize}/s{Stride}";
}
