using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>
/// Seeded random networks for the streaming runner tests: paper-shaped ResNets with any number of stages (the first
/// block of every stage after the first downsamples with the average-pool shortcut), separate paddings for the
/// stride-2 conv and the shortcut, and optional layers the pool never reads.
/// </summary>
public static class StreamingNetworks
{
    public sealed record Spec(int Seed, int Height, int Width, int InChannels, int[] StageWidths, int BlocksPerStage,
        int Bits, int Zero, int Classes, bool PerChannel, int DownPad, int ShortcutPad, bool DeadLayers = false)
    {
        public override string ToString() =>
            $"seed {Seed} {Height}x{Width}x{InChannels} widths {string.Join("/", StageWidths)} x{BlocksPerStage} b{Bits} z{Zero} " +
            $"{(PerChannel ? "per-channel" : "per-layer")} down p{DownPad} shortcut p{ShortcutPad}{(DeadLayers ? " +dead" : "")}";
    }

    public static Network Build(Spec s)
    {
        var rng = new Random(s.Seed);
        var layers = new List<Layer>();
        int c = s.StageWidths[0];
        layers.Add(new StemLayer
        {
            InChannels = s.InChannels, OutChannels = c, KernelSize = 3, PadTop = 1, PadLeft = 1, Height = s.Height, Width = s.Width,
            Shift = 8,
            PixelScale = Enumerable.Range(0, s.InChannels).Select(_ => rng.Next(-300, 300)).ToArray(),
            WeightSumScale = Enumerable.Range(0, s.InChannels).Select(_ => rng.Next(-30000, 30000)).ToArray(),
            Weights = SyntheticNetworks.RandomWeights(rng, c, 3, s.InChannels),
        });
        int levels = (1 << s.Bits) - 1;
        for (int stage = 0; stage < s.StageWidths.Length; stage++)
        {
            for (int b = 0; b < s.BlocksPerStage; b++)
            {
                bool down = stage > 0 && b == 0;
                int cout = s.StageWidths[stage];
                if (s.DeadLayers && b == 0)
                {
                    // A quantize and a conv whose outputs nothing reads: the last writer of planes/accumulator wins.
                    layers.Add(SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromStream, s.Bits, s.Zero, c, s.PerChannel, 3000));
                    layers.Add(new ConvLayer { KernelSize = 1, Stride = 1, InChannels = c, OutChannels = 3, Weights = SyntheticNetworks.RandomWeights(rng, 3, 1, c) });
                }
                layers.Add(SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromStream, s.Bits, s.Zero, c, s.PerChannel, 3000));
                layers.Add(new ConvLayer
                {
                    KernelSize = 3, Stride = down ? 2 : 1, PadTop = down ? s.DownPad : 1, PadLeft = down ? s.DownPad : 1,
                    InChannels = c, OutChannels = cout, Weights = SyntheticNetworks.RandomWeights(rng, cout, 3, c),
                });
                int accRange = 3 * (int)Math.Sqrt(9 * c) * (levels + s.Zero);
                layers.Add(SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromAccumulator, s.Bits, s.Zero, cout, s.PerChannel, accRange));
                layers.Add(new ConvLayer { KernelSize = 3, Stride = 1, PadTop = 1, PadLeft = 1, InChannels = cout, OutChannels = cout, Weights = SyntheticNetworks.RandomWeights(rng, cout, 3, cout) });
                layers.Add(new ResidualLayer
                {
                    Shortcut = down ? ResidualLayer.AvgPool3x3Stride2 : ResidualLayer.Identity,
                    PadTop = down ? s.ShortcutPad : 0, PadLeft = down ? s.ShortcutPad : 0,
                    Shift = 4,
                    Multipliers = s.PerChannel ? Enumerable.Range(0, cout).Select(_ => rng.Next(1, 200)).ToArray() : new[] { rng.Next(1, 200) },
                });
                c = cout;
            }
        }
        layers.Add(SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromStream, s.Bits, s.Zero, c, s.PerChannel, 3000));
        layers.Add(new ConvLayer { KernelSize = 1, Stride = 1, InChannels = c, OutChannels = s.Classes, Weights = SyntheticNetworks.RandomWeights(rng, s.Classes, 1, c) });
        layers.Add(new GlobalPoolLayer
        {
            Classes = s.Classes, Shift = 2,
            Scale = Enumerable.Range(0, s.Classes).Select(_ => rng.Next(1, 50)).ToArray(),
            Offset = Enumerable.Range(0, s.Classes).Select(_ => (long)rng.Next(-100, 100)).ToArray(),
        });
        var net = new Network
        {
            Name = "streaming-" + s.Seed,
            InputHeight = s.Height, InputWidth = s.Width, InputChannels = s.InChannels,
            ClassNames = Enumerable.Range(0, s.Classes).Select(i => "class" + i).ToArray(),
            StreamFracBits = 8,
            Layers = layers.ToArray(),
            TestVectors = Array.Empty<TestVector>(),
        };
        // Through the blob, so shapes are derived and validated by the reader as on the device.
        return BlobReader.Read(BlobWriter.Write(net), long.MaxValue);
    }

    /// <summary>
    /// Shrinks the stream of <paramref name="net"/> (in place) by one bit at a time until StreamBound proves it fits 16
    /// bits: one more shift in the stem and in every residual, and the quantizers that read the stream follow (thresholds
    /// halved, or one less affine shift), so the activations stay as varied as before. Returns the network.
    /// </summary>
    public static Network WithInt16Stream(Network net)
    {
        while (!StreamBound.FitsInt16(net))
        {
            foreach (Layer layer in net.Layers)
            {
                switch (layer)
                {
                    case StemLayer stem: stem.Shift++; break;
                    case ResidualLayer res: res.Shift++; break;
                    case QuantizeLayer q when q.Source == QuantizeLayer.FromStream:
                        if (q.Mode == QuantizeLayer.ThresholdMode) for (int i = 0; i < q.Thresholds.Length; i++) q.Thresholds[i] >>= 1;
                        else if (q.Shift > 0) q.Shift--;
                        break;
                }
            }
        }
        return net;
    }

    /// <summary>The device-class example: 32×32×3, 16/32/64 channels, one block per stage (depth 8), 1-bit activations.</summary>
    public static Spec Depth8Width16(int seed = 8) => new(seed, 32, 32, 3, new[] { 16, 32, 64 }, 1, 1, 1, 10, false, 1, 1);

    /// <summary>Seeded sweep: odd and 1×1 sizes, 1 or 3 input channels, 1–3 stages, all bit widths, both paddings.</summary>
    public static IEnumerable<Spec> Sweep(int count)
    {
        var rng = new Random(2024);
        int[] bitChoices = { 1, 2, 4, 8 };
        for (int i = 0; i < count; i++)
        {
            int bits = bitChoices[i % 4];
            int zero = bits switch
            {
                1 => rng.Next(2) == 0 ? 1 : 0,
                2 => new[] { 3, 2, 0 }[rng.Next(3)],
                4 => rng.Next(2) == 0 ? 15 : 0,
                _ => rng.Next(2) == 0 ? 255 : 0,
            };
            int h = i < 4 ? 1 : rng.Next(1, 14), w = i < 4 ? 1 + 2 * i : rng.Next(1, 14);
            int stages = rng.Next(1, 4);
            int baseWidth = new[] { 1, 4, 8, 16, 33 }[rng.Next(5)];
            int[] widths = Enumerable.Range(0, stages).Select(s => baseWidth << s).ToArray();
            yield return new Spec(100 + i, h, w, rng.Next(2) == 0 ? 1 : 3, widths, rng.Next(1, 3), bits, zero,
                rng.Next(2, 11), rng.Next(2) == 0, rng.Next(3) == 0 ? 0 : (rng.Next(4) == 0 ? 2 : 1), rng.Next(3),
                rng.Next(5) == 0);
        }
    }
}
