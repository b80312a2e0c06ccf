using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class NetworkRunnerTests
{
    /// <summary>
    /// The whole network recomputed layer by layer with the float oracles (zero-padded float convs on level
    /// values 2j − z, plain averages), sharing no buffers or kernels with the runner.
    /// </summary>
    private static int[] OracleLogits(Network net, byte[] pixels)
    {
        double[] stream = null; int sh = 0, sw = 0, sc = 0;
        int[] levels = null; int lh = 0, lw = 0, lc = 0, bits = 0, zero = 0;
        double[] acc = null; int ah = 0, aw = 0, ac = 0;
        int[] logits = null;
        foreach (Layer layer in net.Layers)
        {
            switch (layer)
            {
                case StemLayer s:
                    var sums = new double[s.Height * s.Width * s.OutChannels];
                    for (int c = 0; c < s.InChannels; c++)
                    {
                        // Σ_c (A_c·P_c + B_c·Q_c) = conv of (A_c·u + B_c) on channel c alone, zero padded.
                        double[] x = new double[s.Height * s.Width * s.InChannels];
                        for (int px = 0; px < s.Height * s.Width; px++) x[px * s.InChannels + c] = (double)s.PixelScale[c] * pixels[px * s.InChannels + c] + s.WeightSumScale[c];
                        double[] y = FloatOracle.Conv(x, s.Height, s.Width, s.InChannels, FloatOracle.UnpackWeights(s.Weights, s.OutChannels, s.KernelSize, s.InChannels), s.OutChannels, s.KernelSize, 1, s.PadTop, s.PadLeft, out _, out _);
                        for (int i = 0; i < sums.Length; i++) sums[i] += y[i];
                    }
                    stream = sums.Select(v => (double)FloatOracle.RoundHalfUp(v / (1L << s.Shift))).ToArray();
                    (sh, sw, sc) = (s.Height, s.Width, s.OutChannels);
                    break;
                case QuantizeLayer q:
                    double[] input = q.Source == QuantizeLayer.FromStream ? stream : acc;
                    (lh, lw, lc) = q.Source == QuantizeLayer.FromStream ? (sh, sw, sc) : (ah, aw, ac);
                    int per = (1 << q.Bits) - 1;
                    levels = input.Select((v, i) =>
                    {
                        int row = q.Rows == 1 ? 0 : i % lc;
                        if (q.Mode == QuantizeLayer.AffineMode)
                            return (int)Math.Clamp(Math.Floor((q.Multipliers[row] * v + q.Offsets[row]) / Math.Pow(2, q.Shift)), 0, per);
                        return Enumerable.Range(0, per).Count(k => q.Signs[row] * v >= q.Thresholds[row * per + k]);
                    }).ToArray();
                    (bits, zero) = (q.Bits, q.ZeroCode);
                    break;
                case ConvLayer cv:
                    acc = FloatOracle.Conv(levels.Select(j => (double)(2 * j - zero)).ToArray(), lh, lw, lc,
                        FloatOracle.UnpackWeights(cv.Weights, cv.OutChannels, cv.KernelSize, cv.InChannels), cv.OutChannels, cv.KernelSize, cv.Stride, cv.PadTop, cv.PadLeft, out ah, out aw);
                    ac = cv.OutChannels;
                    break;
                case ResidualLayer r:
                    double[] shortcut = stream; int oh = sh, ow = sw;
                    if (r.Shortcut == ResidualLayer.AvgPool3x3Stride2)
                        shortcut = FloatOracle.AvgPool3x3S2(stream, sh, sw, sc, r.PadTop, r.PadLeft, out oh, out ow).Select(v => (double)FloatOracle.RoundHalfUp(v)).ToArray();
                    var next = new double[oh * ow * ac];
                    for (int px = 0; px < oh * ow; px++)
                        for (int c = 0; c < ac; c++)
                        {
                            double m = r.Multipliers[r.Multipliers.Length == 1 ? 0 : c];
                            next[px * ac + c] = (c < sc ? shortcut[px * sc + c] : 0) + FloatOracle.RoundHalfUp(acc[px * ac + c] * m / (1L << r.Shift));
                        }
                    (stream, sh, sw, sc) = (next, oh, ow, ac);
                    break;
                case GlobalPoolLayer g:
                    logits = Enumerable.Range(0, g.Classes).Select(o =>
                    {
                        double sum = Enumerable.Range(0, ah * aw).Sum(px => acc[px * ac + o]);
                        return (int)FloatOracle.RoundHalfUp((sum * g.Scale[o] + g.Offset[o]) / (1L << g.Shift));
                    }).ToArray();
                    break;
            }
        }
        return logits;
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void RunnerMatchesTheLayerByLayerOracle(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad)));
        var runner = new NetworkRunner(net);
        var rng = new Random(seed);
        var distinct = new HashSet<int>();
        for (int frame = 0; frame < 4; frame++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, net.InputBytes);
            int cls = runner.Run(pixels);
            int[] expected = OracleLogits(net, pixels);
            Assert.Equal(expected, runner.Logits);
            Assert.Equal(Array.IndexOf(expected, expected.Max()), cls);
            foreach (int v in expected) distinct.Add(v);
        }
        Assert.True(distinct.Count > 4, "logits should vary: the random network is degenerate");
    }

    [Theory]
    [MemberData(nameof(BlobRoundTripTests.Networks), MemberType = typeof(BlobRoundTripTests))]
    public void EveryKernelSetGivesTheSameLogitsAsTheReference(int seed, int h, int w, int c, int width, int blocks, int bits, int zero, bool perChannel, int pad)
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(seed, h, w, c, width, blocks, bits, zero, 7, perChannel, pad)));
        var reference = new NetworkRunner(net);
        NetworkRunner[] others = KernelSets.All().Skip(1).Select(k => new NetworkRunner(net, k)).ToArray();
        Assert.Equal(new[] { "tuned", "host", "host-scalar" }, others.Select(r => r.KernelName));
        RunnerAgreement.AssertAgree(new Random(seed + 100), 6, reference, others);
    }

    [Fact]
    public void RunDoesNotAllocatePerFrame()
    {
        Network net = BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(31, 8, 8, 3, 16, 2, 2, 3)));
        byte[] pixels = SyntheticNetworks.RandomPixels(new Random(1), net.InputBytes);
        foreach (var runner in KernelSets.All().Select(k => new NetworkRunner(net, k)))
        {
            runner.Run(pixels);
            Assert.Equal(0, AllocationProbe.LeastBytesPerAttempt(() => { for (int i = 0; i < 5; i++) runner.Run(pixels); }));
        }
    }

    [Fact]
    public void SelfTestPassesOnEmbeddedVectorsAndNamesTheFirstMismatch()
    {
        var rng = new Random(41);
        Network spec = SyntheticNetworks.Make(41, 6, 6, 3, 8, 2, 2, 3);
        byte[] blob = TestVectorMaker.WriteWithTestVectors(spec, new[] { SyntheticNetworks.RandomPixels(rng, 108), SyntheticNetworks.RandomPixels(rng, 108) });
        Assert.Null(SelfTest.Run(new NetworkRunner(BlobReader.Read(blob))));

        Network tampered = BlobReader.Read(blob);
        tampered.TestVectors[1].LogitsCrc ^= 1;
        string message = SelfTest.Run(new NetworkRunner(tampered));
        Assert.StartsWith("test vector 1: expected class", message);
    }

    [Fact]
    public void WrongFrameSizeIsRefused()
    {
        var runner = new NetworkRunner(BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(51, 4, 4, 1, 8, 1, 1, 1))));
        var e = Assert.Throws<ArgumentException>(() => runner.Run(new byte[15]));
        Assert.Contains("16 bytes", e.Message);
    }
}
