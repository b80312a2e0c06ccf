using OneBit.Runtime;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Benchmarks;

/// <summary>
/// Seeded random layers and inputs, built through public APIs only: a synthetic network (SyntheticNetworks.Make, the
/// generator the CLI demo and tests use) is written to a blob and read back, so the reader derives and validates
/// every shape (the derived fields have internal setters), and the wanted layer is picked out of it.
/// </summary>
public static class SeededLayers
{
    /// <summary>
    /// Zero code of a b-bit activation as the device-class models use it: 1 bit is classic XNOR (levels ±1, z = 1),
    /// 2 bits the batch-norm (ReLU) family of the CIFAR-10 models (z = 0).
    /// </summary>
    public static int ZeroCodeFor(int bits) => bits == 1 ? 1 : 0;

    /// <summary>A 3×3 conv of <paramref name="shape"/> consuming <paramref name="bits"/>-bit activations.</summary>
    public static ConvLayer Conv(ConvShape shape, int bits, int seed)
    {
        // base width 16, four blocks on 32×32: convs 16@32 s1, 16→32 s2 (on 32×32), 32@16 s1, 32→64 s2, 64@8 s1.
        Network net = Read(SyntheticNetworks.Make(seed, height: 32, width: 32, inChannels: 3, baseWidth: 16, blocks: 4,
            bits: bits, zero: ZeroCodeFor(bits), classes: 10));
        foreach (Layer layer in net.Layers)
        {
            if (layer is ConvLayer c && c.KernelSize == ConvShape.KernelSize && c.InChannels == shape.InChannels &&
                c.OutChannels == shape.OutChannels && c.InHeight == shape.InSize && c.Stride == shape.Stride)
            {
                return c;
            }
        }
        throw new ArgumentException($"the synthetic 16/32/64 network has no conv of shape {shape}");
    }

    /// <summary>
    /// The first quantize of a 32×32×16 synthetic network (reading the residual stream), threshold mode, 2 bits:
    /// one threshold row shared by all channels with sign +1 (per-layer) or one row and sign per channel.
    /// </summary>
    public static QuantizeLayer Quantize(int bits, bool perChannel, int seed)
    {
        Network net = Read(SyntheticNetworks.Make(seed, height: 32, width: 32, inChannels: 3, baseWidth: 16, blocks: 1,
            bits: bits, zero: ZeroCodeFor(bits), classes: 10, perChannel: perChannel));
        foreach (Layer layer in net.Layers)
        {
            if (layer is QuantizeLayer q) return q;
        }
        throw new InvalidOperationException("the synthetic network has no quantize layer");
    }

    /// <summary>Random level indices of an H×W×C activation packed as bit-planes (CONTRACT.md §2); padding bits zero.</summary>
    public static uint[] RandomPlanes(Random rng, int height, int width, int channels, int bits)
    {
        int wpc = BitConvention.WordsFor(channels);
        var planes = new uint[height * width * bits * wpc];
        for (int px = 0; px < height * width; px++)
        {
            for (int c = 0; c < channels; c++)
            {
                int j = rng.Next(1 << bits);
                for (int p = 0; p < bits; p++)
                {
                    if (((j >> p) & 1) != 0) BitConvention.SetBit(planes, (px * bits + p) * wpc, c);
                }
            }
        }
        return planes;
    }

    /// <summary>Uniform int32 values in [−range, range].</summary>
    public static int[] RandomInts(Random rng, int count, int range)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = rng.Next(-range, range + 1);
        return values;
    }

    private static Network Read(Network net) => BlobReader.Read(BlobWriter.Write(net), long.MaxValue);
}
