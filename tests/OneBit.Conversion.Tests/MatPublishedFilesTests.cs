using OneBit.Conversion.Mat;
using static OneBit.Conversion.Tests.MatTestSupport;

namespace OneBit.Conversion.Tests;

/// <summary>The MAT reader on the authors' four published files (../shared/models/mcdonnell-2018).</summary>
public class MatPublishedFilesTests
{
    const long Cifar10ConvWeights = 26_737_120;   // 3·3·3·160 + 6·9·160² + 9·160·320 + 5·9·320² + 9·320·640 + 5·9·640² + 640·10

    static long Numel(MatArray a) => a.Dimensions.Aggregate(1L, (p, d) => p * d);

    [Theory]
    [InlineData(KerasCifar10, 10)]
    [InlineData(KerasCifar100, 100)]
    public void KerasFile_HasTwentyBinaryConvsAndTwentyOneBatchNorms(string file, int classes)
    {
        var f = MatFile.Read(Model(file));
        Assert.False(f.IsBigEndian);
        Assert.StartsWith("MATLAB 5.0 MAT-file", f.HeaderText);
        Assert.Equal(41, f.Variables.Count);
        var convs = f.Variables.Where(v => v.Name.StartsWith("conv2d")).ToList();
        var bns = f.Variables.Where(v => v.Name.StartsWith("batch_normalization")).ToList();
        Assert.Equal(20, convs.Count);
        Assert.Equal(21, bns.Count);
        // File order alternates BN, conv from the input BN on (the layer order).
        for (int i = 0; i < 41; i++) Assert.StartsWith(i % 2 == 0 ? "batch_normalization" : "conv2d", f.Variables[i].Name);

        foreach (var c in convs.Cast<MatNumericArray>())
        {
            Assert.Equal(MatClass.UInt8, c.Class);
            Assert.Equal(5, c.Dimensions.Count);               // Keras HWIO with a leading 1
            Assert.Equal(1, c.Dimensions[0]);
            var data = (byte[])c.Data;
            Assert.All(data, b => Assert.True(b <= 1));
            Assert.Contains((byte)0, data);
            Assert.Contains((byte)1, data);
        }
        Assert.Equal(new[] { 1, 3, 3, 3, 160 }, convs[0].Dimensions);
        Assert.Equal(new[] { 1, 1, 1, 640, classes }, convs[^1].Dimensions);
        if (classes == 10) Assert.Equal(Cifar10ConvWeights, convs.Sum(Numel));

        // Input BN: 4 rows (gamma, beta, moving mean, moving variance) x 3 channels; the others 2 rows (mean, variance).
        var input = (MatNumericArray)bns[0];
        Assert.Equal(new[] { 4, 3 }, input.Dimensions);
        for (int ch = 0; ch < 3; ch++)
        {
            Assert.InRange(input.At(2, ch), 100.0, 140.0);         // mean of 0..255 pixels
            Assert.InRange(input.At(3, ch), 3000.0, 6000.0);       // variance (std ≈ 55–75)
        }
        int[] widths = { 160, 160, 160, 160, 160, 160, 160, 320, 320, 320, 320, 320, 320, 640, 640, 640, 640, 640, 640, classes };
        for (int i = 1; i < 21; i++)
        {
            var bn = (MatNumericArray)bns[i];
            Assert.Equal(MatClass.Single, bn.Class);
            Assert.Equal(new[] { 2, widths[i - 1] }, bn.Dimensions);
            for (int ch = 0; ch < bn.Dimensions[1]; ch++) Assert.True(bn.At(1, ch) > 0, $"{bn.Name} variance of channel {ch}");
        }
    }

    [Theory]
    [InlineData(MatlabCifar10, 10, 96.18)]
    [InlineData(MatlabCifar100, 100, 82.09)]
    public void MatlabFile_HasCellsStructsAndTheRecordedRecipe(string file, int classes, double finalTestAccuracy)
    {
        var f = MatFile.Read(Model(file));
        Assert.StartsWith("MATLAB 5.0 MAT-file, Platform: PCWIN64", f.HeaderText);
        var names = f.Variables.Select(v => v.Name).ToArray();
        foreach (string n in new[] { "BNB", "BNG", "BinaryWeights", "LayerTypes", "LayerWeights", "Moments", "NumChannels", "Padding", "PercentCorrectTest", "Stride", "Training", "W" })
            Assert.Contains(n, names);

        var bw = Assert.IsType<MatCellArray>(f["BinaryWeights"]);
        Assert.Equal(new[] { 1, 20 }, bw.Dimensions);
        long total = 0;
        foreach (var cell in bw.Cells)
        {
            var w = Assert.IsType<MatNumericArray>(cell);
            Assert.True(w.IsLogical);
            Assert.Equal(MatClass.UInt8, w.Class);
            Assert.Equal(4, w.Dimensions.Count);
            total += w.Count;
        }
        Assert.Equal(new[] { 3, 3, 3, 160 }, bw[0].Dimensions);
        Assert.Equal(new[] { 1, 1, 640, classes }, bw[19].Dimensions);
        if (classes == 10) Assert.Equal(Cifar10ConvWeights, total);

        // LayerWeights(k) = sqrt(2/(kh·kw·Cin)), the paper's per-layer multiplier.
        var lw = (MatNumericArray)f["LayerWeights"];
        Assert.Equal(20, lw.Count);
        for (int k = 0; k < 20; k++)
        {
            var d = bw[k].Dimensions;
            Assert.Equal(Math.Sqrt(2.0 / (d[0] * d[1] * d[2])), lw[k], 6);
        }

        // Moments: 21 cells C x 2 of [mean, sigma]; the input's sigma is a pixel standard deviation (~50–80), not a variance.
        var moments = Assert.IsType<MatCellArray>(f["Moments"]);
        Assert.Equal(21, moments.Count);
        var m0 = (MatNumericArray)moments[0];
        Assert.Equal(new[] { 3, 2 }, m0.Dimensions);
        for (int ch = 0; ch < 3; ch++) { Assert.InRange(m0.At(ch, 0), 100.0, 140.0); Assert.InRange(m0.At(ch, 1), 50.0, 80.0); }
        foreach (var m in moments.Cells.Cast<MatNumericArray>())
            for (int ch = 0; ch < m.Dimensions[0]; ch++) Assert.True(m.At(ch, 1) > 0);
        Assert.Equal(classes, moments[20].Dimensions[0]);

        // BNG/BNB: learned only for the input BN; ones and zeros elsewhere.
        var bng = (MatCellArray)f["BNG"];
        var bnb = (MatCellArray)f["BNB"];
        Assert.Equal(21, bng.Count);
        Assert.Equal(21, bnb.Count);
        Assert.All(((MatNumericArray)bng[1]).ToDoubleArray(), g => Assert.Equal(1.0, g));
        Assert.All(((MatNumericArray)bnb[1]).ToDoubleArray(), b => Assert.Equal(0.0, b));
        Assert.NotEqual(1.0, ((MatNumericArray)bng[0])[0]);

        var types = Assert.IsType<MatCellArray>(f["LayerTypes"]);
        Assert.Equal(32, types.Count);
        Assert.Equal("input", ((MatCharArray)types[0]).Text);
        Assert.Equal("brw", ((MatCharArray)types[1]).Text);
        Assert.Equal("Residual_sum", ((MatCharArray)types[2]).Text);
        Assert.Equal("brg", ((MatCharArray)types[31]).Text);

        var stride = ((MatNumericArray)f["Stride"]).ToDoubleArray();
        Assert.Equal(new double[] { 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1 }, stride);
        var padding = ((MatNumericArray)f["Padding"]).ToDoubleArray();
        Assert.Equal(Enumerable.Repeat(1.0, 19).Append(0.0), padding);

        var training = Assert.IsType<MatStructArray>(f["Training"]);
        Assert.Equal(125, ((MatNumericArray)training.Get("BatchSize")).Scalar);
        Assert.Equal(1, ((MatNumericArray)training.Get("UseSign")).Scalar);
        Assert.Equal(1, ((MatNumericArray)training.Get("Cutout")).Scalar);

        var pct = (MatNumericArray)f["PercentCorrectTest"];
        Assert.Equal(254, pct.Count);
        Assert.Equal(finalTestAccuracy, pct[253], 2);
    }
}
