using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>
/// Record kind 7 only changes the file form of an affine quantizer: when M and B are exactly representable (24-bit M,
/// B = B'·2^k with 24-bit B'), the layer read from kind 7 must give the same levels as the one read from kind 6 and
/// as exact arithmetic (CONTRACT.md §3: j = clamp((M·X + B) >> n, 0, L−1)).
/// </summary>
public class CompactAffineSweepTests
{
    [Fact]
    public void CompactAndWideRecordsGiveIdenticalLevels()
    {
        var rng = new Random(7007);
        var seen = new HashSet<int>();
        int exactChecks = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int bits = trial % 2 == 0 ? 8 : 4, top = (1 << bits) - 1;
            int c = 1 + rng.Next(70), h = 2, w = 3;
            int k = trial % 10 == 0 ? BlobFormat.MaxOffsetShift : rng.Next(0, BlobFormat.MaxOffsetShift + 1);
            int n = rng.Next(0, BlobFormat.MaxShift + 1);
            int[] m = Enumerable.Range(0, c).Select(_ => Any24(rng)).ToArray();
            long[] b = Enumerable.Range(0, c).Select(_ => (long)Any24(rng) << k).ToArray();

            QuantizeLayer compact = ReadBack(Layer(bits, c, n, m, b, k, compact: true), h, w, c);
            QuantizeLayer wide = ReadBack(Layer(bits, c, n, m, b, k, compact: false), h, w, c);
            Assert.True(compact.CompactAffine && !wide.CompactAffine);
            Assert.Equal(m, compact.Multipliers);
            Assert.Equal(b, compact.Offsets);

            int[] x = Inputs(rng, m, b, n, top, h * w);
            uint[] pc = new uint[h * w * bits * BitConvention.WordsFor(c)], pw = new uint[pc.Length], pt = new uint[pc.Length];
            QuantizeReference.Run(compact, x, pc);
            QuantizeReference.Run(wide, x, pw);
            TunedQuantize.Run(compact, x, pt);
            Assert.Equal(pw, pc);
            Assert.Equal(pw, pt);

            int[] levels = Packing.UnpackLevels(pc, h, w, c, bits);
            for (int i = 0; i < x.Length; i++)
            {
                Int128 v = (Int128)m[i % c] * x[i] + b[i % c];
                if (v >= long.MinValue && v <= long.MaxValue)   // beyond int64 the runtime wraps, as in kind 6
                {
                    Int128 j = v >> n;
                    Assert.Equal((int)Int128.Clamp(j, 0, top), levels[i]);
                    exactChecks++;
                }
                seen.Add(levels[i]);
            }
        }
        Assert.True(seen.Count > 200, $"the sweep reached only {seen.Count} levels");
        Assert.True(exactChecks > 30000, $"only {exactChecks} exact checks");
    }

    /// <summary>Mostly uniform 24-bit values, with the extremes and small values mixed in.</summary>
    private static int Any24(Random rng) => rng.Next(8) switch
    {
        0 => BlobFormat.Min24,
        1 => BlobFormat.Max24,
        2 => rng.Next(-100, 101),
        _ => rng.Next(BlobFormat.Min24, BlobFormat.Max24 + 1),
    };

    /// <summary>Half the inputs aimed at a random level boundary of their channel (±2), half anywhere in int32.</summary>
    private static int[] Inputs(Random rng, int[] m, long[] b, int n, int top, int pixels)
    {
        int c = m.Length;
        var x = new int[pixels * c];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i % c;
            if (rng.Next(2) == 0 || m[ch] == 0)
            {
                x[i] = rng.Next(int.MinValue, int.MaxValue);
                continue;
            }
            double target = (Math.ScaleB(rng.Next(-1, top + 2), n) - b[ch]) / m[ch];
            x[i] = (int)Math.Clamp(Math.Round(target) + rng.Next(-2, 3), int.MinValue, int.MaxValue);
        }
        return x;
    }

    private static QuantizeLayer Layer(int bits, int c, int n, int[] m, long[] b, int k, bool compact) => new()
    {
        Mode = QuantizeLayer.AffineMode, CompactAffine = compact, OffsetShift = k, Source = QuantizeLayer.FromStream,
        Bits = bits, ZeroCode = 0, Rows = c, Shift = n, Multipliers = (int[])m.Clone(), Offsets = (long[])b.Clone(),
    };

    /// <summary>stem 1×1 → the quantizer → conv 1×1 → pool, written and read back: the quantizer as the reader makes it.</summary>
    private static QuantizeLayer ReadBack(QuantizeLayer q, int h, int w, int c)
    {
        var rng = new Random(c);
        var net = new Network
        {
            Name = "compact-sweep", InputHeight = h, InputWidth = w, InputChannels = 1, ClassNames = new[] { "a", "b" },
            StreamFracBits = 0, TestVectors = Array.Empty<TestVector>(),
            Layers = new Layer[]
            {
                new StemLayer
                {
                    InChannels = 1, OutChannels = c, KernelSize = 1, Height = h, Width = w, Shift = 0,
                    PixelScale = new[] { 1 }, WeightSumScale = new[] { 0 }, Weights = SyntheticNetworks.RandomWeights(rng, c, 1, 1),
                },
                q,
                new ConvLayer { KernelSize = 1, Stride = 1, InChannels = c, OutChannels = 2, Weights = SyntheticNetworks.RandomWeights(rng, 2, 1, c) },
                new GlobalPoolLayer { Classes = 2, Shift = 0, Scale = new[] { 1, 1 }, Offset = new[] { 0L, 0L } },
            },
        };
        byte[] blob = BlobWriter.Write(net);
        Assert.Equal(blob, BlobWriter.Write(BlobReader.Read(blob)));
        return (QuantizeLayer)BlobReader.Read(blob).Layers[1];
    }
}
