using System;
using System.Collections.Generic;
using System.Linq;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Host;

/// <summary>
/// Seeded random layers and whole networks of the resnet_srelu shape, valid by construction: the demo of the
/// CLI, the tests and the benchmarks run the runtime on them when no trained model is at hand.
/// </summary>
public static class SyntheticNetworks
{
    public static uint[] RandomWeights(Random rng, int cout, int k, int cin)
    {
        int wpc = BitConvention.WordsFor(cin);
        var w = new uint[cout * k * k * wpc];
        for (int i = 0; i < w.Length; i++)
        {
            uint v = (uint)rng.Next() ^ ((uint)rng.Next() << 16);
            if (i % wpc == wpc - 1) v &= BitConvention.LastWordMask(cin);
            w[i] = v;
        }
        return w;
    }

    public static byte[] RandomPixels(Random rng, int count)
    {
        var p = new byte[count];
        rng.NextBytes(p);
        return p;
    }

    public static QuantizeLayer RandomQuantize(Random rng, int source, int bits, int zero, int channels, bool perChannel, int range)
    {
        int rows = perChannel ? channels : 1;
        int per = (1 << bits) - 1;
        var t = new int[rows * per];
        var signs = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = new int[per];
            for (int k = 0; k < per; k++) row[k] = rng.Next(-range, range + 1);
            Array.Sort(row);
            Array.Copy(row, 0, t, r * per, per);
            signs[r] = perChannel && rng.Next(4) == 0 ? -1 : 1;
        }
        return new QuantizeLayer { Source = source, Bits = bits, ZeroCode = zero, Rows = rows, Thresholds = t, Signs = signs };
    }

    /// <summary>Affine mode, what the converter emits for per-channel batch norm at 4 and 8 bits: j = clamp((M·X + B) >> 16).</summary>
    public static QuantizeLayer RandomAffineQuantize(Random rng, int source, int bits, int zero, int channels, int range)
    {
        const int shift = 16;
        int per = (1 << bits) - 1;
        int m = Math.Max(1, (per << shift) / Math.Max(1, 2 * range));
        return new QuantizeLayer
        {
            Mode = QuantizeLayer.AffineMode, Source = source, Bits = bits, ZeroCode = zero, Rows = channels, Shift = shift,
            Multipliers = Enumerable.Range(0, channels).Select(_ => rng.Next(-m, m + 1)).ToArray(),
            Offsets = Enumerable.Range(0, channels).Select(_ => ((long)per << (shift - 1)) + rng.Next(-1 << shift, 1 << shift)).ToArray(),
        };
    }

    /// <summary>
    /// The same map in record kind 7 form (what the converter emits): offsets rounded down to multiples of 2^k. The
    /// multipliers of <see cref="RandomAffineQuantize"/> already fit 24 bits.
    /// </summary>
    public static QuantizeLayer MakeCompact(QuantizeLayer q, int offsetShift)
    {
        q.Offsets = q.Offsets.Select(b => b >> offsetShift << offsetShift).ToArray();
        q.CompactAffine = true;
        q.OffsetShift = offsetShift;
        if (!CompactAffineWriter.Fits(q.Multipliers, q.Offsets, offsetShift))
            throw new ArgumentException($"affine quantizer does not fit 24 bits with offset shift {offsetShift}");
        return q;
    }

    private static QuantizeLayer Quantizer(Random rng, int source, int bits, int zero, int channels, bool perChannel, int range, bool compact)
    {
        if (!perChannel || bits < 4) return RandomQuantize(rng, source, bits, zero, channels, perChannel, range);
        QuantizeLayer q = RandomAffineQuantize(rng, source, bits, zero, channels, range);
        return compact ? MakeCompact(q, 3) : q;
    }

    /// <summary>
    /// stem → blocks (quantize, conv3×3 stride s, quantize, conv3×3, residual) → quantize → conv1×1 → pool.
    /// Every second block downsamples with the average-pool shortcut and doubles the width. Per-channel quantizers at
    /// 4 and 8 bits are affine: record kind 6, or kind 7 with <paramref name="compactAffine"/> (same random draws).
    /// </summary>
    public static Network Make(int seed, int height = 8, int width = 8, int inChannels = 3, int baseWidth = 8,
        int blocks = 2, int bits = 2, int zero = 3, int classes = 5, bool perChannel = false, int padTop = 1, bool compactAffine = false)
    {
        var rng = new Random(seed);
        var layers = new List<Layer>();
        int c = baseWidth;
        layers.Add(new StemLayer
        {
            InChannels = inChannels, OutChannels = c, KernelSize = 3, PadTop = 1, PadLeft = 1, Height = height, Width = width,
            Shift = 8,
            PixelScale = Enumerable.Range(0, inChannels).Select(_ => rng.Next(-300, 300)).ToArray(),
            WeightSumScale = Enumerable.Range(0, inChannels).Select(_ => rng.Next(-30000, 30000)).ToArray(),
            Weights = RandomWeights(rng, c, 3, inChannels),
        });
        int levels = (1 << bits) - 1;
        for (int b = 0; b < blocks; b++)
        {
            bool down = b % 2 == 1;
            int cout = down ? 2 * c : c;
            layers.Add(Quantizer(rng, QuantizeLayer.FromStream, bits, zero, c, perChannel, 3000, compactAffine));
            layers.Add(new ConvLayer { KernelSize = 3, Stride = down ? 2 : 1, PadTop = down ? padTop : 1, PadLeft = down ? padTop : 1, InChannels = c, OutChannels = cout, Weights = RandomWeights(rng, cout, 3, c) });
            int accRange = 3 * (int)Math.Sqrt(9 * c) * (levels + zero);
            layers.Add(Quantizer(rng, QuantizeLayer.FromAccumulator, bits, zero, cout, perChannel, accRange, compactAffine));
            layers.Add(new ConvLayer { KernelSize = 3, Stride = 1, PadTop = 1, PadLeft = 1, InChannels = cout, OutChannels = cout, Weights = RandomWeights(rng, cout, 3, cout) });
            layers.Add(new ResidualLayer
            {
                Shortcut = down ? ResidualLayer.AvgPool3x3Stride2 : ResidualLayer.Identity, PadTop = down ? padTop : 0, PadLeft = down ? padTop : 0,
                Shift = 4,
                Multipliers = perChannel ? Enumerable.Range(0, cout).Select(_ => rng.Next(1, 200)).ToArray() : new[] { rng.Next(1, 200) },
            });
            c = cout;
        }
        layers.Add(Quantizer(rng, QuantizeLayer.FromStream, bits, zero, c, perChannel, 3000, compactAffine));
        layers.Add(new ConvLayer { KernelSize = 1, Stride = 1, PadTop = 0, PadLeft = 0, InChannels = c, OutChannels = classes, Weights = RandomWeights(rng, classes, 1, c) });
        layers.Add(new GlobalPoolLayer
        {
            Classes = classes, Shift = 2,
            Scale = Enumerable.Range(0, classes).Select(_ => rng.Next(1, 50)).ToArray(),
            Offset = Enumerable.Range(0, classes).Select(_ => (long)rng.Next(-100, 100)).ToArray(),
        });
        return new Network
        {
            Name = "random-" + seed,
            InputHeight = height, InputWidth = width, InputChannels = inChannels,
            ClassNames = Enumerable.Range(0, classes).Select(i => "class" + i).ToArray(),
            StreamFracBits = 8,
            Layers = layers.ToArray(),
            TestVectors = Array.Empty<TestVector>(),
        };
    }
}
