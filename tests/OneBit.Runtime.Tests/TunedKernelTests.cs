using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>
/// The interpreter-tuned kernels of shared/Kernels/Tuned against the reference kernels, bit for bit, on seeded random
/// layers: channel counts across word edges, odd sizes, stride 2 (the average-pool shortcut), every bit width, both
/// threshold layouts and signs, extreme values. (TunedBinaryConv is in ConvKernelTests.Kernels(), so the conv sweep,
/// the float oracle and the ring-buffer test cover it.)
/// </summary>
public class TunedKernelTests
{
    public static IEnumerable<object[]> QuantizeCases()
    {
        int i = 0;
        // 14, 28, 56: the widths of the device-class folded batch-norm models (per-channel rows, 2 bits); 16, 48: words
        // of 16 channels (the unrolled half word of the 1-bit shared-row path).
        foreach (int c in KernelSweeps.ChannelCounts.Concat(new[] { 14, 16, 28, 48, 56 }))
            foreach (int bits in new[] { 1, 2, 4, 8 })
                foreach (int layout in new[] { 0, 1, 2 })   // 0 shared row, sign +1; 1 shared row, sign −1; 2 per channel
                    yield return new object[] { c, bits, layout, i++ };
    }

    [Theory]
    [MemberData(nameof(QuantizeCases))]
    public void QuantizeMatchesTheReference(int c, int bits, int layout, int seed)
    {
        var rng = new Random(seed);
        int h = 3, w = 5;
        QuantizeLayer q = RandomThresholdLayer(rng, c, bits, layout, h, w);
        int[] input = RandomQuantizeInputs(rng, q, h * w * c);
        int words = h * w * bits * BitConvention.WordsFor(c);
        var expected = new uint[words + 3];
        var actual = new uint[words + 3];
        for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = 0xDEADBEEF; // stale data must be overwritten
        QuantizeReference.Run(q, input, expected);
        TunedQuantize.Run(q, input, actual);
        Assert.Equal(expected, actual);

        // The host's SIMD quantizer (1 and 2 bits; it defers the others to TunedQuantize) on the same sweep, vectors on and off.
        foreach (bool vectors in new[] { true, false })
        {
            for (int i = 0; i < actual.Length; i++) actual[i] = 0xDEADBEEF;
            new OneBit.HostKernels.VectorQuantizeKernel(vectors).Run(q, input, actual);
            Assert.Equal(expected, actual);
        }
    }

    public static IEnumerable<object[]> AffineCases()
    {
        int i = 0;
        foreach (int c in new[] { 1, 7, 8, 9, 14, 33, 64, 65 })
            foreach (int bits in new[] { 1, 2, 4, 8 })
                foreach (bool perChannel in new[] { false, true })
                    yield return new object[] { c, bits, perChannel, 9000 + i++ };
    }

    /// <summary>A random affine quantize layer (CONTRACT.md §3) of H×W×C reading the accumulator.</summary>
    public static QuantizeLayer RandomAffineLayer(Random rng, int c, int bits, bool perChannel, int h, int w)
    {
        QuantizeLayer q = SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromAccumulator, bits, (1 << bits) - 1, c, perChannel, 1000);
        q.Mode = QuantizeLayer.AffineMode;
        q.Multipliers = Enumerable.Range(0, q.Rows).Select(_ => rng.Next(-70000, 70000)).ToArray();
        q.Offsets = Enumerable.Range(0, q.Rows).Select(_ => (long)rng.Next(-1 << 20, 1 << 20)).ToArray();
        q.Shift = 12;
        q.Height = h; q.Width = w; q.Channels = c;
        return q;
    }

    /// <summary>Inputs for <see cref="RandomAffineLayer"/>: around the levels' span and far outside it (both clamps),
    /// int32 extremes included.</summary>
    public static int[] AffineInputs(Random rng, int count)
        => Enumerable.Range(0, count).Select(i => i % 17 == 0 ? (i % 2 == 0 ? int.MaxValue : int.MinValue) : rng.Next(-3000, 3000)).ToArray();

    /// <summary>The host's SIMD quantizer on affine layers (8 channels per vector, 64-bit products, clamping).</summary>
    [Theory]
    [MemberData(nameof(AffineCases))]
    public void HostQuantizerMatchesTheReferenceOnAffineLayers(int c, int bits, bool perChannel, int seed)
    {
        var rng = new Random(seed);
        const int h = 3, w = 5;
        QuantizeLayer q = RandomAffineLayer(rng, c, bits, perChannel, h, w);
        int[] input = AffineInputs(rng, h * w * c);
        int words = h * w * bits * BitConvention.WordsFor(c);
        var expected = new uint[words + 2];
        var actual = new uint[words + 2];
        for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = 0xDEADBEEF;
        QuantizeReference.Run(q, input, expected);
        foreach (bool vectors in new[] { true, false })
        {
            for (int i = 0; i < actual.Length; i++) actual[i] = 0xDEADBEEF;
            new OneBit.HostKernels.VectorQuantizeKernel(vectors).Run(q, input, actual);
            Assert.Equal(expected, actual);
        }
    }

    public static IEnumerable<object[]> QuantizeRowRangeCases()
    {
        int i = 0;
        foreach (int c in new[] { 1, 14, 32, 33, 64 })
            foreach (int bits in new[] { 1, 2, 4, 8 })
                foreach (int layout in new[] { 0, 1, 2, 3 })   // as QuantizeCases; 3: affine (the tuned kernel defers to the reference)
                    yield return new object[] { c, bits, layout, 5000 + i++ };
    }

    /// <summary>
    /// The row-range overload (what StreamingRunner calls with the tuned set) against the reference's, over rings of 1, 2,
    /// 3 and H rows on both sides and row ranges that wrap them (longer than the ring, starting mid-ring, empty): every
    /// word of the destination ring, stale data included, must match.
    /// </summary>
    [Theory]
    [MemberData(nameof(QuantizeRowRangeCases))]
    public void QuantizeRowRangesOverRingsMatchTheReference(int c, int bits, int layout, int seed)
    {
        var rng = new Random(seed);
        const int h = 7, w = 3;
        QuantizeLayer q = layout == 3
            ? SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromAccumulator, bits, (1 << bits) - 1, c, rng.Next(2) == 0, 1000)
            : RandomThresholdLayer(rng, c, bits, layout, h, w);
        if (layout == 3)
        {
            // Affine: M·X + B >> shift (the reader's compact affine records).
            q.Mode = QuantizeLayer.AffineMode;
            q.Multipliers = Enumerable.Range(0, q.Rows).Select(_ => rng.Next(-70000, 70000)).ToArray();
            q.Offsets = Enumerable.Range(0, q.Rows).Select(_ => (long)rng.Next(-1 << 20, 1 << 20)).ToArray();
            q.Shift = 12;
            q.Height = h; q.Width = w; q.Channels = c;
        }
        int rowInts = w * c, rowWords = w * bits * BitConvention.WordsFor(c);
        (int, int)[] ranges = { (0, h), (0, 1), (2, 3), (1, 6), (5, 7), (3, 7), (4, 4) };
        foreach (int inRows in new[] { 1, 2, 3, h })
            foreach (int outRows in new[] { 1, 2, 3, h })
            {
                int[] input = RandomQuantizeInputs(rng, q, inRows * rowInts);
                var expected = new uint[outRows * rowWords + 2];
                var actual = new uint[expected.Length];
                foreach (var (y0, y1) in ranges)
                {
                    for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = 0xDEADBEEF ^ (uint)i;
                    QuantizeReference.Run(q, input, inRows, expected, outRows, y0, y1);
                    TunedQuantize.Run(q, input, inRows, actual, outRows, y0, y1);
                    Assert.True(expected.SequenceEqual(actual), $"rings {inRows}/{outRows}, rows [{y0}, {y1})");
                }
            }
    }

    /// <summary>A seeded threshold layer of h×w×c (layout 0: shared row, sign +1; 1: shared row, sign −1; 2: per channel).</summary>
    public static QuantizeLayer RandomThresholdLayer(Random rng, int c, int bits, int layout, int h, int w)
    {
        QuantizeLayer q = SyntheticNetworks.RandomQuantize(rng, QuantizeLayer.FromStream, bits, (1 << bits) - 1, c, layout == 2, 1000);
        if (layout == 1) q.Signs[0] = -1;
        if (layout == 2) for (int r = 0; r < c; r++) q.Signs[r] = rng.Next(2) == 0 ? -1 : 1;
        // A few extreme thresholds: the comparison must be exact at the ends of int32 too.
        if (rng.Next(2) == 0) q.Thresholds[0] = int.MinValue;
        if (rng.Next(2) == 0) q.Thresholds[q.Thresholds.Length - 1] = int.MaxValue;
        // Per-channel rows (1 and 2 bits: the per-channel compare paths): extremes in further rows of either sign.
        for (int r = 1; r < q.Rows && r < 8; r++)
            q.Thresholds[r * q.ThresholdsPerRow + rng.Next(q.ThresholdsPerRow)] = rng.Next(4) switch
            {
                0 => int.MinValue,
                1 => int.MinValue + 1,
                2 => int.MaxValue,
                _ => -int.MaxValue,
            };
        Sort(q);
        q.Height = h; q.Width = w; q.Channels = c;
        return q;
    }

    /// <summary>Inputs (channel = index % C) with int32 extremes, exact ties and the channel's own ties ± 1.</summary>
    public static int[] RandomQuantizeInputs(Random rng, QuantizeLayer q, int count)
    {
        int c = q.Channels, per = q.ThresholdsPerRow;
        if (q.Mode == QuantizeLayer.AffineMode)
            return Enumerable.Range(0, count).Select(_ => rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100000, 100000)).ToArray();
        return Enumerable.Range(0, count).Select(i =>
        {
            int row = q.Rows == 1 ? 0 : i % c;
            long tie = (long)q.Signs[row] * q.Thresholds[row * per + rng.Next(per)];   // s·X = T, if X fits int32
            return rng.Next(10) switch
            {
                0 => int.MinValue,
                1 => int.MaxValue,
                2 => q.Thresholds[rng.Next(q.Thresholds.Length)],      // exact ties (sign +1, any row)
                3 => (int)Math.Clamp(tie + rng.Next(-1, 2), int.MinValue, int.MaxValue),   // the channel's own ties and neighbours
                4 => rng.Next(2) == 0 ? int.MinValue + 1 : -int.MaxValue + rng.Next(3),
                _ => rng.Next(-1200, 1200),
            };
        }).ToArray();
    }

    /// <summary>
    /// The 1- and 2-bit per-channel paths (folded batch norm) on the ends of int32: every row a nondecreasing pick of
    /// values next to int.MinValue, 0 and int.MaxValue, signs mixed, and every input one of those values or s·T ± 1 of
    /// its channel (s = −1 makes −int.MinValue = 2^31, above every threshold, and T = int.MinValue reached by all X).
    /// </summary>
    [Theory]
    [InlineData(1, 14)]
    [InlineData(2, 14)]
    [InlineData(1, 33)]
    [InlineData(2, 33)]
    [InlineData(2, 64)]
    public void PerChannelQuantizeIsExactAtTheEndsOfInt32(int bits, int c)
    {
        int[] special = { int.MinValue, int.MinValue + 1, int.MinValue + 2, -2, -1, 0, 1, 2, int.MaxValue - 1, int.MaxValue };
        var rng = new Random(bits * 1000 + c);
        int per = (1 << bits) - 1, h = 4, w = 16;
        var q = new QuantizeLayer
        {
            Source = QuantizeLayer.FromAccumulator, Bits = bits, ZeroCode = 0, Rows = c,
            Thresholds = Enumerable.Range(0, c * per).Select(_ => special[rng.Next(special.Length)]).ToArray(),
            Signs = Enumerable.Range(0, c).Select(r => r % 2 == 0 ? -1 : 1).ToArray(),
            Height = h, Width = w, Channels = c,
        };
        // Rows entirely at one end, both signs (sign −1 on even rows): T = int.MinValue must hold for every level.
        for (int k = 0; k < per; k++)
        {
            q.Thresholds[k] = q.Thresholds[per + k] = int.MinValue;
            q.Thresholds[2 * per + k] = q.Thresholds[3 * per + k] = int.MaxValue;
        }
        Sort(q);
        int[] input = Enumerable.Range(0, h * w * c).Select(i =>
        {
            int ch = i % c;
            if (rng.Next(2) == 0) return special[rng.Next(special.Length)];
            long v = (long)q.Signs[ch] * q.Thresholds[ch * per + rng.Next(per)] + rng.Next(-1, 2);
            return (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }).ToArray();
        int words = h * w * bits * BitConvention.WordsFor(c);
        var expected = new uint[words + 2];
        var actual = new uint[words + 2];
        for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = 0xDEADBEEF;
        QuantizeReference.Run(q, input, expected);
        TunedQuantize.Run(q, input, actual);
        Assert.Equal(expected, actual);

        // The host's SIMD quantizer (1 and 2 bits; it defers the others to TunedQuantize) on the same sweep, vectors on and off.
        foreach (bool vectors in new[] { true, false })
        {
            for (int i = 0; i < actual.Length; i++) actual[i] = 0xDEADBEEF;
            new OneBit.HostKernels.VectorQuantizeKernel(vectors).Run(q, input, actual);
            Assert.Equal(expected, actual);
        }
    }

    private static void Sort(QuantizeLayer q)
    {
        int per = q.ThresholdsPerRow;
        for (int r = 0; r < q.Rows; r++) Array.Sort(q.Thresholds, r * per, per);
    }

    /// <summary>
    /// The straight-line 2-bit paths for 17–32 and 33–64 input channels (5 and 9 patch words per plane) against the
    /// reference: every channel count of both ranges' edges, both zero codes, stride 1 and 2, saturated and random
    /// levels (all-3 activations put the most counts in each byte lane).
    /// </summary>
    [Theory]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(48)]
    [InlineData(63)]
    [InlineData(64)]
    public void TwoBitStraightLinePathsMatchTheReference(int cin)
    {
        var rng = new Random(cin);
        foreach (int zero in new[] { 0, 3 })
            foreach (int stride in new[] { 1, 2 })
                foreach (int cout in new[] { 1, 5, 32 })
                {
                    ConvLayer layer = ConvKernelTests.MakeLayer(rng, cin, cout, 6, 5, 3, stride, 1, 2, zero);
                    foreach (bool saturated in new[] { true, false })
                    {
                        int[] levels = Enumerable.Range(0, 6 * 5 * cin).Select(_ => saturated ? 3 : rng.Next(4)).ToArray();
                        uint[] planes = Packing.PackLevels(levels, 6, 5, cin, 2);
                        int n = layer.OutHeight * layer.OutWidth * cout;
                        var expected = new int[n];
                        var actual = new int[n];
                        BinaryConvReference.Instance.Run(layer, planes, 6, expected, layer.OutHeight, 0, layer.OutHeight);
                        new TunedBinaryConv().Run(layer, planes, 6, actual, layer.OutHeight, 0, layer.OutHeight);
                        Assert.True(expected.SequenceEqual(actual), $"z {zero} stride {stride} cout {cout} saturated {saturated}");
                    }
                }
    }

    public static IEnumerable<object[]> StemCases()
    {
        int i = 0;
        foreach (int cin in new[] { 1, 3, 4 })
            foreach (int cout in new[] { 1, 16, 31, 32, 33, 65 })
                foreach (var (k, pad) in new[] { (3, 1), (3, 0), (3, 2), (1, 0) })
                {
                    var (h, w) = (i % 3) switch { 0 => (1, 1), 1 => (5, 7), _ => (8, 6) };
                    yield return new object[] { cin, cout, k, pad, h, w, i % 4 == 0 ? 0 : 3 + i % 11, i++ };
                }
    }

    [Theory]
    [MemberData(nameof(StemCases))]
    public void StemMatchesTheReference(int cin, int cout, int k, int pad, int h, int w, int shift, int seed)
    {
        var rng = new Random(seed);
        int big = seed % 2 == 0 ? 1 << 20 : 30000;   // large scales exercise the 64-bit sums
        var layer = new StemLayer
        {
            InChannels = cin, OutChannels = cout, KernelSize = k, PadTop = pad, PadLeft = pad, Height = h, Width = w, Shift = shift,
            PixelScale = Enumerable.Range(0, cin).Select(_ => rng.Next(-big, big)).ToArray(),
            WeightSumScale = Enumerable.Range(0, cin).Select(_ => rng.Next(-big * 100, big * 100)).ToArray(),
            Weights = SyntheticNetworks.RandomWeights(rng, cout, k, cin),
        };
        var stem = new TunedStem();
        var rows = new TunedStem(new Network { Layers = new Layer[] { layer } }, rowsOnly: true);
        for (int frame = 0; frame < 2; frame++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, h * w * cin);
            if (frame == 1) for (int i = 0; i < pixels.Length; i += 2) pixels[i] = 255;
            var expected = new int[h * w * cout];
            var actual = new int[h * w * cout];
            StemConvReference.Run(layer, pixels, expected);
            stem.Run(layer, pixels, actual);
            Assert.Equal(expected, actual);

            // Row mode (the streaming runner's): one row at a time into rings of 1 and 2 rows and the whole height.
            foreach (int ring in new[] { 1, 2, h })
            {
                var rowsOut = new int[ring * w * cout];
                for (int oy = 0; oy < h; oy++)
                {
                    rows.Run(layer, pixels, rowsOut, ring, oy, oy + 1);
                    Assert.Equal(expected.AsSpan(oy * w * cout, w * cout).ToArray(), rowsOut.AsSpan((oy % ring) * w * cout, w * cout).ToArray());
                }
            }
        }
    }

    public static IEnumerable<object[]> ResidualCases()
    {
        int i = 0;
        foreach (int c in KernelSweeps.ChannelCounts)
        {
            foreach (var (h, w) in new[] { (1, 1), (5, 7), (8, 6), (7, 7) })
            {
                yield return new object[] { ResidualLayer.Identity, 0, h, w, c, c, i % 2 == 0, i % 3 == 0 ? 0 : 4, i++ };
                yield return new object[] { ResidualLayer.AvgPool3x3Stride2, i % 2, h, w, c, 2 * c, i % 2 == 1, i % 3 == 1 ? 0 : 7, i++ };
                yield return new object[] { ResidualLayer.AvgPool3x3Stride2, 1 - i % 2, h, w, c, c, i % 2 == 0, 5, i++ };
            }
        }
    }

    [Theory]
    [MemberData(nameof(ResidualCases))]
    public void ResidualMatchesShortcutThenAdd(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
    {
        var rng = new Random(seed);
        ResidualLayer layer = RandomResidual(rng, shortcut, pad, h, w, cin, cout, perChannel, shift);
        int[] stream = Enumerable.Range(0, h * w * cin).Select(_ => rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100000, 100000)).ToArray();
        int n = layer.OutHeight * layer.OutWidth * cout;
        int[] acc = Enumerable.Range(0, n).Select(_ => rng.Next(-300000, 300000)).ToArray();
        var expected = new int[n];
        var actual = new int[n];
        ResidualReference.Run(layer, stream, acc, expected);
        TunedResidual.Run(layer, stream, acc, actual);
        Assert.Equal(expected, actual);
    }

    public static ResidualLayer RandomResidual(Random rng, int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift)
    {
        int s = shortcut == ResidualLayer.Identity ? 1 : 2;
        return new ResidualLayer
        {
            Shortcut = shortcut, PadTop = pad, PadLeft = pad, Shift = shift,
            Multipliers = Enumerable.Range(0, perChannel ? cout : 1).Select(_ => rng.Next(-5000, 5000)).ToArray(),
            InHeight = h, InWidth = w, InChannels = cin, OutHeight = (h + s - 1) / s, OutWidth = (w + s - 1) / s, OutChannels = cout,
        };
    }

    public static IEnumerable<object[]> ResidualRowRangeCases()
    {
        int i = 0;
        foreach (int c in new[] { 1, 16, 33 })
            foreach (var (h, w) in new[] { (7, 5), (8, 6) })
            {
                yield return new object[] { ResidualLayer.Identity, 0, h, w, c, c, i % 2 == 0, 4, 7000 + i++ };
                foreach (int pad in new[] { 0, 1, 2 })
                    yield return new object[] { ResidualLayer.AvgPool3x3Stride2, pad, h, w, c, 2 * c, i % 2 == 1, i % 3 == 1 ? 0 : 7, 7000 + i++ };
            }
    }

    /// <summary>
    /// The row-range overload (StreamingRunner with the tuned set) against ResidualReference's, over stream, accumulator
    /// and output rings of 1, 2, 3 and the full height and row ranges that wrap them (the pool window's rows land in
    /// any slots, out of order): every int of the output ring must match.
    /// </summary>
    [Theory]
    [MemberData(nameof(ResidualRowRangeCases))]
    public void ResidualRowRangesOverRingsMatchTheReference(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
        => ResidualSweep.AssertRowRangesMatchTheReference(TunedResidual.Run, shortcut, pad, h, w, cin, cout, perChannel, shift, seed);

    /// <summary>
    /// The 16-bit ring overload (StreamingRunner with a proven 16-bit stream) against ResidualReference on the widened
    /// values: stream values across the whole int16 range and accumulators scaled so that every output still fits 16
    /// bits (what StreamBound guarantees in the runner); every short of the output ring must equal the int32 result.
    /// </summary>
    [Theory]
    [MemberData(nameof(ResidualRowRangeCases))]
    public void ResidualOverShortRingsMatchesTheReference(int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
    {
        var rng = new Random(seed);
        ResidualLayer layer = RandomResidual(rng, shortcut, pad, h, w, cin, cout, perChannel, shift);
        long maxM = layer.Multipliers.Max(m => Math.Abs((long)m)) + 1;
        int accLimit = (int)Math.Max(1, (16000L << shift) / maxM);
        int outH = layer.OutHeight, inRow = w * cin, outRow = layer.OutWidth * cout;
        foreach (int inRows in new[] { 1, 3, h })
            foreach (int outRows in new[] { 1, 3, outH })
            {
                short[] stream = Enumerable.Range(0, inRows * inRow).Select(_ => (short)rng.Next(-16000, 16001)).ToArray();
                int[] acc = Enumerable.Range(0, 2 * outRow).Select(_ => rng.Next(-accLimit, accLimit + 1)).ToArray();
                var expected = new int[outRows * outRow];
                var actual = new short[expected.Length];
                for (int y0 = 0; y0 < outH; y0++)
                {
                    ResidualReference.Run(layer, stream.Select(v => (int)v).ToArray(), inRows, acc, 2, expected, outRows, y0, y0 + 1);
                    TunedResidual.Run(layer, stream, inRows, acc, 2, actual, outRows, y0, y0 + 1);
                    Assert.All(expected, v => Assert.InRange(v, short.MinValue, short.MaxValue));
                    Assert.True(expected.SequenceEqual(actual.Select(v => (int)v)), $"rings {inRows}/{outRows}, row {y0}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void TunedRunnerGivesTheSameLogitsAsTheReference(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad)));
        var reference = new NetworkRunner(net);
        var tuned = new NetworkRunner(net, TunedKernelSet.Instance);
        // The tuned stem, quantize and residual around the reference conv, so a conv fault cannot hide a layer fault.
        var tunedLayersOnly = new NetworkRunner(net, new TunedLayerKernels(net, false, BinaryConvReference.Instance));
        RunnerAgreement.AssertAgree(new Random(seed + 100), 4, reference, tuned, tunedLayersOnly);
    }

    [Fact]
    public void TunedRunnerDoesNotAllocatePerFrame()
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(31, 8, 8, 3, 16, 2, 2, 3)));
        byte[] pixels = SyntheticNetworks.RandomPixels(new Random(1), net.InputBytes);
        var runner = new NetworkRunner(net, TunedKernelSet.Instance);
        runner.Run(pixels);
        Assert.Equal(0, AllocationProbe.LeastBytesPerAttempt(() => { for (int i = 0; i < 5; i++) runner.Run(pixels); }));
    }

    public static IEnumerable<object[]> NarrowConvCases()
    {
        int i = 0;
        foreach (int c in new[] { 2, 8, 9, 15, 16, 17, 24, 48 })
            foreach (int cout in new[] { 4, 16, 18, 32 })
                foreach (int bits in new[] { 1, 2, 4 })
                {
                    int stride = i % 3 == 2 ? 2 : 1, pad = stride == 2 && i % 2 == 0 ? 0 : 1;
                    yield return new object[] { c, cout, 3 + i % 5, 4 + i % 4, stride, pad, bits, i++ };
                }
    }

    /// <summary>
    /// The compact layout's special paths (taps of ≤ 16, ≤ 32 and ≤ 64 bits, the shared tap-8 lanes of 9–16 channels,
    /// interior windows assembled directly) against the reference: channel counts the word-edge sweep does not hit.
    /// </summary>
    [Theory]
    [MemberData(nameof(NarrowConvCases))]
    public void NarrowAndMidWidthConvMatchesTheReference(int c, int cout, int h, int w, int stride, int pad, int bits, int seed)
    {
        var rng = new Random(seed);
        int zero = seed % 4 == 3 ? 0 : (1 << bits) - 1;   // z = 0: the plan keeps a single border class
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, c, cout, h, w, 3, stride, pad, bits, zero);
        uint[] planes = Packing.PackLevels(Enumerable.Range(0, h * w * c).Select(_ => rng.Next(1 << bits)).ToArray(), h, w, c, bits);
        int n = layer.OutHeight * layer.OutWidth * cout;
        var expected = new int[n];
        var actual = new int[n];
        BinaryConvReference.Instance.Run(layer, planes, h, expected, layer.OutHeight, 0, layer.OutHeight);
        new TunedBinaryConv().Run(layer, planes, h, actual, layer.OutHeight, 0, layer.OutHeight);
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Layers wide enough for patches of more than 30 words per plane (3×3 taps of ≥ 225 channels), where the dot path and
    /// the patch count go in chunks that keep the byte lanes from overflowing: saturated and random levels.
    /// </summary>
    [Theory]
    [InlineData(225, 1, 1)]
    [InlineData(256, 2, 3)]
    [InlineData(300, 4, 0)]
    public void WideConvMatchesTheReference(int cin, int bits, int zero)
    {
        var rng = new Random(cin + bits);
        const int h = 4, w = 5;
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, cin, 7, h, w, 3, 1, 1, bits, zero);
        foreach (bool saturated in new[] { true, false })
        {
            int[] levels = Enumerable.Range(0, h * w * cin).Select(_ => saturated ? (1 << bits) - 1 : rng.Next(1 << bits)).ToArray();
            uint[] planes = Packing.PackLevels(levels, h, w, cin, bits);
            int n = layer.OutHeight * layer.OutWidth * 7;
            var expected = new int[n];
            var actual = new int[n];
            BinaryConvReference.Instance.Run(layer, planes, h, expected, layer.OutHeight, 0, layer.OutHeight);
            new TunedBinaryConv().Run(layer, planes, h, actual, layer.OutHeight, 0, layer.OutHeight);
            Assert.True(expected.SequenceEqual(actual), $"saturated {saturated}");
        }
    }

    /// <summary>
    /// The border table −z·T3 is kept in 16 bits while z·k²·Cin ≤ 32,767 and in 32 bits past it: weights all +1 and all −1
    /// reach |T3| = k²·Cin, at the last width that fits (1,213 channels at z = 3: ±32,751), the first that does not, and
    /// an 8-bit layer with z = 255.
    /// </summary>
    [Theory]
    [InlineData(1213, 2, 3)]
    [InlineData(1214, 2, 3)]
    [InlineData(64, 8, 255)]
    public void BorderCorrectionsAtTheEdgeOf16BitsMatchTheReference(int cin, int bits, int zero)
    {
        var rng = new Random(cin);
        const int h = 3, w = 4, cout = 5;
        ConvLayer layer = ConvKernelTests.MakeLayer(rng, cin, cout, h, w, 3, 1, 1, bits, zero);
        int wpc = BitConvention.WordsFor(cin);
        for (int o = 0; o < 2; o++)
        {
            for (int t = 0; t < 9; t++)
            {
                for (int word = 0; word < wpc; word++)
                {
                    int valid = Math.Min(32, cin - 32 * word);
                    layer.Weights[(o * 9 + t) * wpc + word] = o == 0 ? (valid == 32 ? uint.MaxValue : (1u << valid) - 1) : 0u;
                }
            }
        }
        int[] levels = Enumerable.Range(0, h * w * cin).Select(_ => rng.Next(1 << bits)).ToArray();
        uint[] planes = Packing.PackLevels(levels, h, w, cin, bits);
        var expected = new int[h * w * cout];
        var actual = new int[h * w * cout];
        BinaryConvReference.Instance.Run(layer, planes, h, expected, h, 0, h);
        new TunedBinaryConv().Run(layer, planes, h, actual, h, 0, h);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PlanBytesCountWhatTheConstructorsAllocate()
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(31, 8, 8, 3, 16, 2, 2, 3)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var conv = new TunedBinaryConv(net);
        var stem = new TunedStem(net);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long payload = TunedBinaryConv.PlanBytes(net) + TunedStem.PlanBytes(net);
        // Allocation also counts object and array headers and the plan lists; the payload must be most of it.
        Assert.InRange(payload, allocated / 2, allocated);
        Assert.NotNull(conv);
        Assert.NotNull(stem);

        before = GC.GetAllocatedBytesForCurrentThread();
        var rows = new TunedStem(net, rowsOnly: true);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated - TunedStem.RowPlanBytes(net), 0, 10 * 32 + 112);   // headers: 7 tables, 2 temporaries, the object
        StemLayer L = net.Layers.OfType<StemLayer>().Single();
        // Row mode keeps neither the 3-row ring of group sums nor its entry table.
        Assert.Equal(TunedStem.PlanBytes(net) - 8L * 4 * L.Width * L.InChannels * 8 - 4L * L.OutChannels * L.InChannels * 3, TunedStem.RowPlanBytes(net));
        Assert.NotNull(rows);
    }

    [Fact]
    public void TakingOverWeightsDropsTheBlobLayoutCopiesAndKeepsTheResults()
    {
        byte[] blob = BlobWriter.Write(SyntheticNetworks.Make(9, 12, 12, 3, 16, 2, 2, 0, 7, true));
        Network reference = BlobReader.Read(blob), device = BlobReader.Read(blob);
        long weights = TunedBinaryConv.SourceWeightBytes(device), before = device.ParameterBytes;
        Assert.True(weights > 0);
        Assert.Equal(weights, TunedKernelSet.Instance.ReleasedParameterBytes(device));
        var streaming = new StreamingRunner(StreamingPlan.For(device, false), TunedKernelSet.Instance.For(device, true, true));
        Assert.Equal(before - weights, device.ParameterBytes);
        Assert.Equal(0, TunedBinaryConv.SourceWeightBytes(device));
        Assert.All(device.Layers.OfType<ConvLayer>(), c => Assert.Null(c.Weights));
        RunnerAgreement.AssertAgree(new Random(3), 3, new NetworkRunner(reference), streaming);
    }

    [Fact]
    public void ZeroCodeZeroPlansShareOneZeroTable()
    {
        // Same weights and shapes, z = 3 vs z = 0: every conv's border classes (OutHeight + OutWidth shorts) and −z·T3 table
        // (classes × Cout shorts at 2 bits) give way to one array of zeros as long as the largest of those dimensions.
        Network odd = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(5, 16, 16, 3, 16, 2, 2, 3)));
        Network zero = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(5, 16, 16, 3, 16, 2, 2, 0)));
        long tables = 0;
        int zeros = 0;
        foreach (Layer l in odd.Layers)
        {
            if (l is not ConvLayer c) continue;
            int classes = Masks(c.OutHeight, c.Stride, c.PadTop, c.InHeight, c.KernelSize) * Masks(c.OutWidth, c.Stride, c.PadLeft, c.InWidth, c.KernelSize);
            tables += 2L * (c.OutHeight + c.OutWidth) + 2L * classes * c.OutChannels;
            zeros = Math.Max(zeros, Math.Max(c.OutChannels, Math.Max(c.OutHeight, c.OutWidth)));
        }
        Assert.True(tables > 2L * zeros);
        Assert.Equal(TunedBinaryConv.PlanBytes(odd) - tables + 2L * zeros, TunedBinaryConv.PlanBytes(zero));

        // And the planner allocates what PlanBytes says (plus object headers).
        new TunedBinaryConv(zero);
        long before = GC.GetAllocatedBytesForCurrentThread();
        new TunedBinaryConv(zero);
        long measured = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(measured - TunedBinaryConv.PlanBytes(zero), 0, 40 * 8 * zero.Layers.Count(l => l is ConvLayer) + 200);

        static int Masks(int outSize, int stride, int pad, int inSize, int k) => Enumerable.Range(0, outSize)
            .Select(o => Enumerable.Range(0, k).Count(t => o * stride - pad + t is var i && i >= 0 && i < inSize) * 100 + Math.Min(0, o * stride - pad))
            .Distinct().Count();
    }

    [Fact]
    public void CompactLayoutPacksNarrowTapsIntoSharedWords()
    {
        Assert.Equal(3, TunedBinaryConv.CompactWords(3, 16));   // 9 taps × 16 bits = 144 bits
        Assert.Equal(5, TunedBinaryConv.CompactWords(3, 32));   // 288 bits
        Assert.Equal(9, TunedBinaryConv.CompactWords(3, 64));
        Assert.Equal(14, TunedBinaryConv.CompactWords(3, 65));  // 9 taps × 3 words, two per 64-bit word
        Assert.Equal(1, TunedBinaryConv.CompactWords(1, 1));
        Assert.Equal(8, TunedBinaryConv.SlotBits(5));
        Assert.Equal(96, TunedBinaryConv.SlotBits(65));
    }
}
