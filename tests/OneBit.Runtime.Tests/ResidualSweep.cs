using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

/// <summary>The residual row-range sweep every kernel family runs (cases: <see cref="TunedKernelTests.ResidualRowRangeCases"/>).</summary>
public static class ResidualSweep
{
    /// <summary>A residual kernel's int32 row-range entry point (what ResidualReference.Run computes).</summary>
    public delegate void Rows(ResidualLayer layer, int[] stream, int inRows, int[] acc, int accRows, int[] output, int outRows, int oyStart, int oyEnd);

    /// <summary>The residual sweep shared by every kernel family: row ranges over rings of 1, 2, 3 and all rows, stream
    /// values with int32 extremes, a guard pattern that shows writes outside the range.</summary>
    public static void AssertRowRangesMatchTheReference(Rows kernel, int shortcut, int pad, int h, int w, int cin, int cout, bool perChannel, int shift, int seed)
    {
        var rng = new Random(seed);
        ResidualLayer layer = TunedKernelTests.RandomResidual(rng, shortcut, pad, h, w, cin, cout, perChannel, shift);
        int outH = layer.OutHeight, inRow = w * cin, outRow = layer.OutWidth * cout;
        (int, int)[] ranges = { (0, outH), (0, 1), (1, 2), (outH - 1, outH), (1, outH), (2, 2) };
        foreach (int inRows in new[] { 1, 2, 3, h })
            foreach (int accRows in new[] { 1, 2, outH })
                foreach (int outRows in new[] { 1, 3, outH })
                {
                    int[] stream = Enumerable.Range(0, inRows * inRow).Select(_ => rng.Next(5) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100000, 100000)).ToArray();
                    int[] acc = Enumerable.Range(0, accRows * outRow).Select(_ => rng.Next(-300000, 300000)).ToArray();
                    var expected = new int[outRows * outRow + 2];
                    var actual = new int[expected.Length];
                    foreach (var (y0, y1) in ranges)
                    {
                        for (int i = 0; i < actual.Length; i++) actual[i] = expected[i] = 0x5EED + i;
                        ResidualReference.Run(layer, stream, inRows, acc, accRows, expected, outRows, y0, y1);
                        kernel(layer, stream, inRows, acc, accRows, actual, outRows, y0, y1);
                        Assert.True(expected.SequenceEqual(actual), $"rings {inRows}/{accRows}/{outRows}, rows [{y0}, {y1})");
                    }
                }
    }
}
