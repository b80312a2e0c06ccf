using OneBit.Conversion.Folding;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Tests;

/// <summary>The precision bounds CONTRACT.md §3 states for compact affine quantizers (record kind 7).</summary>
public class CompactAffineFoldTests
{
    public static IEnumerable<object[]> Scales()
    {
        // a: levels per input unit (stream-fed layers ~2^-13, accumulator-fed ~2^-3); b: offset in levels.
        yield return new object[] { 1, 1e-4, 30.0 };
        yield return new object[] { 2, 0.1, 300.0 };
        yield return new object[] { 3, 3.0, 1.0 };
        yield return new object[] { 4, 1e-7, 5000.0 };
        yield return new object[] { 5, 1000.0, 0.001 };
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void ConstantsFit24BitsWithTheStatedPrecision(int seed, double aScale, double bScale)
    {
        var rng = new Random(seed);
        double[] a = Enumerable.Range(0, 200).Select(_ => (rng.NextDouble() * 2 - 1) * aScale).ToArray();
        double[] b = Enumerable.Range(0, 200).Select(_ => (rng.NextDouble() * 2 - 1) * bScale).ToArray();
        CompactAffineFold.Constants f = CompactAffineFold.Fit(a, b)!;
        Assert.NotNull(f);
        int n = f.Shift, k = f.OffsetShift;
        Assert.True(CompactAffineWriter.Fits(f.Multipliers, f.Offsets, k));
        Assert.InRange(k, 0, BlobFormat.MaxOffsetShift);
        Assert.True(b.Max(Math.Abs) * Math.Pow(2, n) <= Math.Pow(2, 60), "|B| ≤ 2^60 keeps M·X + B inside int64");

        // n is the largest shift that fits: the largest |M| is at least 2^22, its relative error below 2^-22.
        int largest = Array.IndexOf(a.Select(Math.Abs).ToArray(), a.Max(Math.Abs));
        Assert.True(Math.Abs(f.Multipliers[largest]) >= 1 << 22, $"max |M| = {Math.Abs(f.Multipliers[largest])}");
        double exactM = Math.ScaleB(a[largest], n);
        Assert.True(Math.Abs(f.Multipliers[largest] - exactM) / Math.Abs(exactM) < Math.Pow(2, -22));
        for (int c = 0; c < a.Length; c++) Assert.True(Math.Abs(f.Multipliers[c] - Math.ScaleB(a[c], n)) <= 0.5);

        // B = B'·2^k within 2^(k−1−n) levels of b, and k is the smallest that fits.
        for (int c = 0; c < b.Length; c++)
            Assert.True(Math.Abs(Math.ScaleB(f.Offsets[c], -n) - b[c]) <= Math.Pow(2, k - 1 - n) * (1 + 1e-12), $"row {c}");
        if (k > 0) Assert.Contains(b, v => Math.Abs(Math.Round(Math.ScaleB(v, n - k + 1))) > BlobFormat.Max24);
    }

    [Fact]
    public void FoldingEmitsCompactRecordsUnlessWideIsAsked()
    {
        var model = SyntheticExports.Make(2, "resnet_bn", 8, size: 7, width: 8, blocks: 2, classes: 3, strideTwoPad: 0);
        byte[] compact = BlobWriter.Write(ModelFolder.Fold(model));
        byte[] wide = BlobWriter.Write(ModelFolder.Fold(model, compactAffine: false));
        QuantizeLayer[] c = BlobReader.Read(compact).Layers.OfType<QuantizeLayer>().ToArray();
        QuantizeLayer[] w = BlobReader.Read(wide).Layers.OfType<QuantizeLayer>().ToArray();
        Assert.All(c, q => Assert.True(q.Mode == QuantizeLayer.AffineMode && q.CompactAffine));
        Assert.All(w, q => Assert.True(q.Mode == QuantizeLayer.AffineMode && !q.CompactAffine));
        long rows = c.Sum(q => (long)q.Rows);
        Assert.Equal(wide.Length - compact.Length, 6 * rows - 4 * c.Length);
        Assert.Equal(compact, BlobWriter.Write(BlobReader.Read(compact)));
    }
}
