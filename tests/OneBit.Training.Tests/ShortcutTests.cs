using static TorchSharp.torch;
using Xunit;

namespace OneBit.Training.Tests;

public class ShortcutTests
{
    [Fact]
    public void AveragePoolDividesByValidCellsAndAppendsZeroChannels()
    {
        // 4×4 input with value y*4+x; 3×3 stride 2 pad 1: output (0,0) averages rows/cols 0..1 (4 valid
        // cells), (0,1) rows 0..1 cols 1..3 (6 cells), (1,1) rows 1..3 cols 1..3 (9 cells) (CONTRACT.md §5).
        using var sc = new DownsampleShortcut("s", 1, 3, 2);
        using var x = arange(16, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);
        using var y = sc.forward(x);
        Assert.Equal(new long[] { 1, 3, 2, 2 }, y.shape);
        float[] v = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        float Avg(int y0, int y1, int x0, int x1)
        {
            float s = 0; int n = 0;
            for (int yy = y0; yy <= y1; yy++) for (int xx = x0; xx <= x1; xx++) { s += v[yy * 4 + xx]; n++; }
            return s / n;
        }
        Assert.Equal(Avg(0, 1, 0, 1), y[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(Avg(0, 1, 1, 3), y[0, 0, 0, 1].item<float>(), 5);
        Assert.Equal(Avg(1, 3, 1, 3), y[0, 0, 1, 1].item<float>(), 5);
        Assert.Equal(0f, y[0, 1].abs().sum().item<float>());
        Assert.Equal(0f, y[0, 2].abs().sum().item<float>());
    }

    [Fact]
    public void OddSizesDownsampleToCeilingHalf()
    {
        using var sc = new DownsampleShortcut("s", 2, 4, 2);
        using var y = sc.forward(ones(1, 2, 7, 7));
        Assert.Equal(new long[] { 1, 4, 4, 4 }, y.shape);
        Assert.True(y[0, ..2].eq(1).all().item<bool>()); // padded cells never dilute the average
    }
}
