using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class HeadKernelTests
{
    [Theory]
    [InlineData(1, 1, 10, 0)]
    [InlineData(8, 8, 10, 6)]
    [InlineData(5, 3, 100, 12)]
    public void GlobalPoolIsTheAffineOfThePixelSum(int h, int w, int classes, int shift)
    {
        var rng = new Random(h + w + classes);
        var layer = new GlobalPoolLayer
        {
            Classes = classes, Shift = shift, Height = h, Width = w,
            Scale = Enumerable.Range(0, classes).Select(_ => rng.Next(-3000, 3000)).ToArray(),
            Offset = Enumerable.Range(0, classes).Select(_ => (long)rng.Next(-1 << 20, 1 << 20)).ToArray(),
        };
        int[] acc = Enumerable.Range(0, h * w * classes).Select(_ => rng.Next(-20000, 20000)).ToArray();
        var logits = new int[classes];
        GlobalPoolReference.Run(layer, acc, logits);
        for (int o = 0; o < classes; o++)
        {
            double sum = Enumerable.Range(0, h * w).Sum(px => (double)acc[px * classes + o]);
            Assert.Equal(FloatOracle.RoundHalfUp((sum * layer.Scale[o] + layer.Offset[o]) / Math.Pow(2, shift)), logits[o]);
        }
    }

    [Fact]
    public void GlobalPoolClampsToInt32()
    {
        var layer = new GlobalPoolLayer { Classes = 2, Shift = 0, Height = 1, Width = 1, Scale = new[] { int.MaxValue, int.MaxValue }, Offset = new[] { 0L, 0L } };
        var logits = new int[2];
        GlobalPoolReference.Run(layer, new[] { 4, -4 }, logits);
        Assert.Equal(new[] { int.MaxValue, int.MinValue }, logits);
    }

    [Fact]
    public void ArgMaxTakesTheSmallestIndexAmongEqualMaxima()
    {
        Assert.Equal(1, ArgMax.Of(new[] { 3, 7, 7, -1 }, 4));
        Assert.Equal(0, ArgMax.Of(new[] { 5 }, 1));
        Assert.Equal(2, ArgMax.Of(new[] { int.MinValue, -5, -4, 100 }, 3));
    }
}
