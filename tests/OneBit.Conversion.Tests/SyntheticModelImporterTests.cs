using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Importers;
using OneBit.Conversion.Mat;

namespace OneBit.Conversion.Tests;

/// <summary>
/// Both importers on tiny synthetic files in the published layouts (no external data needed), checked
/// against an independent double-precision oracle that reads the MAT arrays directly and follows each
/// framework's own definitions (TensorFlow 'same' padding, MatConvNet symmetric padding, WideResNet_Test.m's
/// layer loop), so the importer's transpositions, paddings and BN semantics are tested, not restated.
/// </summary>
public class SyntheticModelImporterTests
{
    const int Size = 8;   // input 8×8: even, so 'same' stride-2 padding is asymmetric as in the 32×32 originals

    // ---- random parameters -----------------------------------------------------------------------------

    static byte[] Bits(Random r, int n) => Enumerable.Range(0, n).Select(_ => (byte)r.Next(2)).ToArray();
    static float[] Floats(Random r, int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => (float)(lo + r.NextDouble() * (hi - lo))).ToArray();

    static byte[] Image(Random r) => Enumerable.Range(0, Size * Size * 3).Select(_ => (byte)r.Next(256)).ToArray();

    // Tiny WRN: stem 3→4, block A 4→4 (identity), block B 4→8 stride 2 (pool + 4 zero channels), head 8→5.
    static readonly (int Cin, int Cout, int K)[] Convs = { (3, 4, 3), (4, 4, 3), (4, 4, 3), (4, 8, 3), (8, 8, 3), (8, 5, 1) };

    // ---- oracle: C×H×W double tensors --------------------------------------------------------------

    static double[,,] Conv(double[,,] x, Func<int, int, int, int, double> w, int k, int cout, int stride, int padTop, int padLeft, int outH, int outW)
    {
        int cin = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2);
        var y = new double[cout, outH, outW];
        for (int co = 0; co < cout; co++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    double s = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy * stride - padTop + ky, ix = ox * stride - padLeft + kx;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= wd) continue;
                            for (int ci = 0; ci < cin; ci++) s += x[ci, iy, ix] * w(ky, kx, ci, co);
                        }
                    y[co, oy, ox] = s;
                }
        return y;
    }

    static double[,,] Map(double[,,] x, Func<int, double, double> f)
    {
        var y = (double[,,])x.Clone();
        for (int c = 0; c < x.GetLength(0); c++)
            for (int i = 0; i < x.GetLength(1); i++)
                for (int j = 0; j < x.GetLength(2); j++) y[c, i, j] = f(c, x[c, i, j]);
        return y;
    }

    static double[,,] Add(double[,,] a, double[,,] b) => Map(a, (c, v) => v) is var y && Fill(y, b) ? y : null;
    static bool Fill(double[,,] y, double[,,] b)
    {
        for (int c = 0; c < y.GetLength(0); c++) for (int i = 0; i < y.GetLength(1); i++) for (int j = 0; j < y.GetLength(2); j++) y[c, i, j] += b[c, i, j];
        return true;
    }

    /// <summary>3×3 average pool, stride 2, cells outside the input excluded, then zero channels to <paramref name="outC"/>.</summary>
    static double[,,] PoolAndWiden(double[,,] x, int padTop, int padLeft, int outH, int outW, int outC)
    {
        int c0 = x.GetLength(0), h = x.GetLength(1), w = x.GetLength(2);
        var y = new double[outC, outH, outW];
        for (int c = 0; c < c0; c++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    double s = 0; int n = 0;
                    for (int dy = 0; dy < 3; dy++)
                        for (int dx = 0; dx < 3; dx++)
                        {
                            int iy = oy * 2 - padTop + dy, ix = ox * 2 - padLeft + dx;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                            s += x[c, iy, ix]; n++;
                        }
                    y[c, oy, ox] = s / n;
                }
        return y;
    }

    static double[] GlobalAverage(double[,,] x)
    {
        var r = new double[x.GetLength(0)];
        for (int c = 0; c < r.Length; c++)
        {
            for (int i = 0; i < x.GetLength(1); i++) for (int j = 0; j < x.GetLength(2); j++) r[c] += x[c, i, j];
            r[c] /= x.GetLength(1) * x.GetLength(2);
        }
        return r;
    }

    static double[,,] FromImage(byte[] img)
    {
        var x = new double[3, Size, Size];
        for (int y = 0; y < Size; y++) for (int xx = 0; xx < Size; xx++) for (int c = 0; c < 3; c++) x[c, y, xx] = img[(y * Size + xx) * 3 + c];
        return x;
    }

    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs) + 1e-6;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-4 * scale, $"logit {i}: oracle {expected[i]}, float pass {actual[i]}");
    }

    // ---- Keras layout ------------------------------------------------------------------------------

    static MatArray[] KerasFile(int seed)
    {
        var r = new Random(seed);
        var vars = new List<MatArray>();
        var bn0 = new float[12];
        for (int c = 0; c < 3; c++) { bn0[c * 4] = 0.5f + (float)r.NextDouble(); bn0[c * 4 + 1] = (float)(r.NextDouble() - 0.5); bn0[c * 4 + 2] = 100 + 50 * (float)r.NextDouble(); bn0[c * 4 + 3] = 3000 + 2000 * (float)r.NextDouble(); }
        // Deliberately shuffled file order: the importer must order by numeric suffix (conv2d = 0, conv2d_1, …).
        var convs = new List<MatArray>();
        var bns = new List<MatArray> { new MatNumericArray("batch_normalization_v1_7", new[] { 4, 3 }, bn0) };
        for (int i = 0; i < Convs.Length; i++)
        {
            var (cin, cout, k) = Convs[i];
            convs.Add(new MatNumericArray(i == 0 ? "conv2d" : $"conv2d_{i}", new[] { 1, k, k, cin, cout }, Bits(r, k * k * cin * cout), isLogical: true));
            int ch = i + 1 < Convs.Length ? Convs[i + 1].Cin : cout;
            var bn = new float[2 * ch];
            for (int c = 0; c < ch; c++) { bn[2 * c] = (float)(r.NextDouble() * 2 - 1); bn[2 * c + 1] = 0.2f + 3 * (float)r.NextDouble(); }
            bns.Add(new MatNumericArray($"batch_normalization_v1_{8 + i}", new[] { 2, ch }, bn));
        }
        vars.AddRange(convs.AsEnumerable().Reverse());
        vars.AddRange(bns.OrderBy(_ => r.Next()));
        return vars.ToArray();
    }

    /// <summary>ResNetModel.py resnet() on the raw arrays, TensorFlow semantics.</summary>
    static double[] KerasOracle(MatFile f, byte[] img)
    {
        MatNumericArray V(string n) => (MatNumericArray)f[n];
        double[,,] Bn(double[,,] x, string name, bool affine) => Map(x, (c, v) =>
        {
            var a = V(name);
            double g = affine ? a.At(0, c) : 1, b = affine ? a.At(1, c) : 0, m = a.At(affine ? 2 : 0, c), var = a.At(affine ? 3 : 1, c);
            return g * (v - m) / Math.Sqrt(var + 1e-5) + b;
        });
        static double[,,] Relu(double[,,] x) => Map(x, (c, v) => Math.Max(v, 0));
        double[,,] KConv(double[,,] x, int i, int stride)
        {
            var a = V(i == 0 ? "conv2d" : $"conv2d_{i}");
            int k = a.Dimensions[1], cin = a.Dimensions[3], cout = a.Dimensions[4], inH = x.GetLength(1);
            double m = Math.Sqrt(2.0 / (k * k * cin));
            int outH = (inH + stride - 1) / stride;                                  // TF 'same'
            int padTop = Math.Max((outH - 1) * stride + k - inH, 0) / 2;
            return Conv(x, (ky, kx, ci, co) => (2 * a.At(0, ky, kx, ci, co) - 1) * m, k, cout, stride, padTop, padTop, outH, outH);
        }
        var x0 = Bn(FromImage(img), "batch_normalization_v1_7", true);
        var res = KConv(x0, 0, 1);
        // block A
        var t = KConv(Relu(Bn(res, "batch_normalization_v1_8", false)), 1, 1);
        t = KConv(Relu(Bn(t, "batch_normalization_v1_9", false)), 2, 1);
        res = Add(t, res);
        // block B: stride 2, AveragePooling2D(3, 2, 'same') + zeros_like concatenated
        t = KConv(Relu(Bn(res, "batch_normalization_v1_10", false)), 3, 2);
        t = KConv(Relu(Bn(t, "batch_normalization_v1_11", false)), 4, 1);
        int outH = (res.GetLength(1) + 1) / 2, padTop = Math.Max((outH - 1) * 2 + 3 - res.GetLength(1), 0) / 2;
        res = Add(t, PoolAndWiden(res, padTop, padTop, outH, outH, 8));
        // head
        var y = KConv(Relu(Bn(res, "batch_normalization_v1_12", false)), 5, 1);
        y = Bn(y, "batch_normalization_v1_13", false);
        return GlobalAverage(y);
    }

    [Fact]
    public void KerasImporter_MatchesTensorFlowSemanticsOracle()
    {
        var file = MatFile.Read(MatWriter.Write(KerasFile(7), new MatWriterOptions { CharAsUtf8 = true, SmallElements = false }));
        var net = KerasAllParamsImporter.Import(file, "tiny-keras", inputSize: Size);
        Assert.Equal(2, net.Blocks.Count);
        Assert.Equal(ShortcutKind.Identity, net.Blocks[0].Shortcut.Kind);
        var down = net.Blocks[1];
        Assert.Equal(2, down.Conv1.Stride);
        Assert.Equal((0, 0, 1, 1), (down.Conv1.PadTop, down.Conv1.PadLeft, down.Conv1.PadBottom, down.Conv1.PadRight));
        Assert.Equal(4, down.Shortcut.ZeroChannels);
        Assert.Equal(ActivationKind.None, net.InputActivation);
        Assert.Null(net.Head.PostBn.Gamma);

        var pass = new FloatForwardPass(net);
        var r = new Random(99);
        for (int n = 0; n < 5; n++)
        {
            var img = Image(r);
            AssertClose(KerasOracle(file, img), pass.Run(img));
        }
    }

    // ---- MATLAB/MatConvNet layout ------------------------------------------------------------------

    static MatArray[] MatlabFile(int seed)
    {
        var r = new Random(seed);
        var weights = new List<MatArray>();
        var moments = new List<MatArray>();
        var g = new List<MatArray>();
        var b = new List<MatArray>();
        var lw = new List<float>();
        int[] bnChannels = { 3, 4, 4, 4, 8, 8, 5 };
        foreach (var (cin, cout, k) in Convs)
        {
            weights.Add(new MatNumericArray("", new[] { k, k, cin, cout }, Bits(r, k * k * cin * cout), isLogical: true));
            lw.Add((float)Math.Sqrt(2.0 / (k * k * cin)));
        }
        for (int i = 0; i < bnChannels.Length; i++)
        {
            int c = bnChannels[i];
            var m = new float[2 * c];
            for (int j = 0; j < c; j++) { m[j] = i == 0 ? 120 + (float)r.NextDouble() * 10 : (float)(r.NextDouble() * 2 - 1); m[c + j] = i == 0 ? 60 + (float)r.NextDouble() * 10 : 0.3f + 2 * (float)r.NextDouble(); }
            moments.Add(new MatNumericArray("", new[] { c, 2 }, m));
            g.Add(new MatNumericArray("", new[] { c, 1 }, i == 0 || i == 6 ? Floats(r, c, 0.5, 1.5) : Enumerable.Repeat(1f, c).ToArray()));
            b.Add(new MatNumericArray("", new[] { c, 1 }, i == 0 || i == 6 ? Floats(r, c, -1, 1) : new float[c]));
        }
        string[] types = { "input", "brw", "Residual_sum", "brw", "brw", "Residual_sum", "brw", "brw", "Residual_sum", "brw", "brg" };
        return new MatArray[]
        {
            new MatCellArray("BNB", new[] { 7, 1 }, b.ToArray()),
            new MatCellArray("BNG", new[] { 7, 1 }, g.ToArray()),
            new MatCellArray("BinaryWeights", new[] { 1, 6 }, weights.ToArray()),
            new MatCellArray("LayerTypes", new[] { 1, types.Length }, types.Select(t => (MatArray)new MatCharArray("", t)).ToArray()),
            new MatNumericArray("LayerWeights", new[] { 6, 1 }, lw.ToArray()),
            new MatCellArray("Moments", new[] { 7, 1 }, moments.ToArray()),
            new MatNumericArray("Padding", new[] { 1, 6 }, new double[] { 1, 1, 1, 1, 1, 0 }),
            new MatNumericArray("Stride", new[] { 1, 6 }, new double[] { 1, 1, 1, 2, 1, 1 }),
            new MatStructArray("Training", new[] { 1, 1 }, new[] { "BatchSize" }, new MatNumericArray("", new[] { 1, 1 }, new double[] { 125 })),
        };
    }

    /// <summary>ForwardProp of WideResNet_Test.m (test mode) on the raw arrays, MatConvNet semantics.</summary>
    static double[] MatlabOracle(MatFile f, byte[] img)
    {
        var bw = (MatCellArray)f["BinaryWeights"];
        var lw = (MatNumericArray)f["LayerWeights"];
        var mo = (MatCellArray)f["Moments"];
        var g = (MatCellArray)f["BNG"];
        var bb = (MatCellArray)f["BNB"];
        var stride = (MatNumericArray)f["Stride"];
        var pad = (MatNumericArray)f["Padding"];
        var types = ((MatCellArray)f["LayerTypes"]).Cells.Select(c => ((MatCharArray)c).Text).ToArray();
        double[,,] Bn(double[,,] x, int k) => Map(x, (c, v) =>   // vl_nnbnorm(x, G, B, 'moments', [mu sigma]): sigma used as is
            ((MatNumericArray)g[k])[c] * (v - ((MatNumericArray)mo[k]).At(c, 0)) / ((MatNumericArray)mo[k]).At(c, 1) + ((MatNumericArray)bb[k])[c]);
        var x = FromImage(img);
        double[,,] res = null;
        int wi = 0, bi = 0;
        for (int layer = 1; layer < types.Length; layer++)
        {
            switch (types[layer])
            {
                case "brw":
                    x = Map(Bn(x, bi++), (c, v) => Math.Max(0, v));
                    var a = (MatNumericArray)bw[wi];
                    int k = a.Dimensions[0], cout = a.Dimensions[3], p = (int)pad[wi], s = (int)stride[wi];
                    int outH = (x.GetLength(1) + 2 * p - k) / s + 1;   // vl_nnconv: floor((H + 2p − k)/s) + 1
                    double m = lw[wi];
                    x = Conv(x, (ky, kx, ci, co) => (2 * a.At(ky, kx, ci, co) - 1) * m, k, cout, s, p, p, outH, outH);
                    wi++;
                    break;
                case "Residual_sum":
                    if (res == null) res = x;
                    else
                    {
                        if (res.GetLength(1) > x.GetLength(1))   // vl_nnpool(R, 3, 'avg', 'stride', 2, 'pad', 1) + zero channels
                            res = PoolAndWiden(res, 1, 1, (res.GetLength(1) + 2 - 3) / 2 + 1, (res.GetLength(2) + 2 - 3) / 2 + 1, x.GetLength(0));
                        res = Add(res, x);
                        x = res;
                    }
                    break;
                case "brg":
                    x = Bn(x, bi++);
                    return GlobalAverage(x);
            }
        }
        throw new InvalidOperationException("no brg layer");
    }

    [Fact]
    public void MatConvNetImporter_MatchesWideResNetTestOracle()
    {
        var file = MatFile.Read(MatWriter.Write(MatlabFile(11), new MatWriterOptions { Compress = true }));
        var net = MatConvNetWrnImporter.Import(file, "tiny-matlab", inputSize: Size);
        Assert.Equal(2, net.Blocks.Count);
        Assert.Equal(ActivationKind.Relu, net.InputActivation);
        var down = net.Blocks[1];
        Assert.Equal((1, 1, 1, 1), (down.Conv1.PadTop, down.Conv1.PadLeft, down.Conv1.PadBottom, down.Conv1.PadRight));
        Assert.Equal((1, 1), (down.Shortcut.PadTop, down.Shortcut.PadLeft));
        Assert.Equal(0, net.Head.PostBn.Epsilon);

        var pass = new FloatForwardPass(net);
        var r = new Random(5);
        for (int n = 0; n < 5; n++)
        {
            var img = Image(r);
            AssertClose(MatlabOracle(file, img), pass.Run(img));
        }
    }

    [Fact]
    public void PublishedModelImporter_RecognisesBothLayouts()
    {
        var keras = MatFile.Read(MatWriter.Write(KerasFile(1)));
        var matlab = MatFile.Read(MatWriter.Write(MatlabFile(1)));
        Assert.Equal(ActivationKind.None, PublishedModelImporter.Import(keras, "k").InputActivation);
        Assert.Equal(ActivationKind.Relu, PublishedModelImporter.Import(matlab, "m").InputActivation);
        var other = MatFile.Read(MatWriter.Write(new[] { new MatNumericArray("x", new[] { 1, 1 }, new double[] { 1 }) }));
        Assert.Contains("neither", Assert.Throws<ModelImportException>(() => PublishedModelImporter.Import(other, "x")).Message);
    }

    [Fact]
    public void Importers_RejectInconsistentFiles_WithClearMessages()
    {
        // Keras: a weight that is not 0/1.
        var vars = KerasFile(3);
        var c0 = (MatNumericArray)vars.First(v => v.Name == "conv2d");
        ((byte[])c0.Data)[5] = 2;
        var e = Assert.Throws<ModelImportException>(() => KerasAllParamsImporter.Import(MatFile.Read(MatWriter.Write(vars)), "bad", inputSize: Size));
        Assert.Contains("expected 0 or 1", e.Message);
        // Keras: a BN missing.
        vars = KerasFile(3).Where(v => v.Name != "batch_normalization_v1_10").ToArray();
        e = Assert.Throws<ModelImportException>(() => KerasAllParamsImporter.Import(MatFile.Read(MatWriter.Write(vars)), "bad", inputSize: Size));
        Assert.Contains("batch_normalization", e.Message);
        // MATLAB: a missing variable, and a layer list that is not the WRN pattern.
        vars = MatlabFile(3).Where(v => v.Name != "Moments").ToArray();
        e = Assert.Throws<ModelImportException>(() => MatConvNetWrnImporter.Import(MatFile.Read(MatWriter.Write(vars)), "bad", inputSize: Size));
        Assert.Contains("'Moments' is missing", e.Message);
        vars = MatlabFile(3);
        var types = new[] { "input", "brw", "brw", "Residual_sum", "brw", "Residual_sum", "brw", "brw", "Residual_sum", "brw", "brg" };
        vars[3] = new MatCellArray("LayerTypes", new[] { 1, types.Length }, types.Select(t => (MatArray)new MatCharArray("", t)).ToArray());
        e = Assert.Throws<ModelImportException>(() => MatConvNetWrnImporter.Import(MatFile.Read(MatWriter.Write(vars)), "bad", inputSize: Size));
        Assert.Contains("LayerTypes", e.Message);
    }
}
