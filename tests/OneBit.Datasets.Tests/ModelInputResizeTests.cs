using Xunit;

namespace OneBit.Datasets.Tests;

public class ModelInputResizeTests
{
    [Fact]
    public void AreaResizeHalvesRgbImagesWithRoundedMeansPerChannel()
    {
        // 2 images of 4×4×3: pixel (y, x) channel c = 10·y + x + 50·c + image; 2×2 blocks average to known values.
        var px = new byte[2 * 48];
        for (int n = 0; n < 2; n++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++)
                    for (int c = 0; c < 3; c++) px[n * 48 + (y * 4 + x) * 3 + c] = (byte)(10 * y + x + 50 * c + n);
        var set = new ImageSet(4, 4, 3, px, new[] { 0, 1 }, new[] { "a", "b" });

        var small = set.ResizedTo(2, 2);

        Assert.Equal((2, 2, 3, 2), (small.Height, small.Width, small.Channels, small.Count));
        Assert.Equal(new[] { 0, 1 }, small.Labels);
        // Block (0,0) of image 1, channel 2: mean of 101,102,111,112 = 106.5 → 107 (half up).
        Assert.Equal(107, small.Image(1)[0 * 3 + 2]);
        // Block (1,1) of image 0, channel 0: mean of 22,23,32,33 = 27.5 → 28.
        Assert.Equal(28, small.Image(0)[3 * 3 + 0]);
        Assert.Same(set, set.ResizedTo(4, 4));
    }

    [Fact]
    public void GrayImagesResizeAndOtherChannelCountsAreRefused()
    {
        var gray = new ImageSet(2, 2, 1, new byte[] { 0, 255, 255, 255 }, new[] { 0 }, new[] { "a" });
        Assert.Equal(191, gray.ResizedTo(1, 1).Image(0)[0]); // 765 / 4 = 191.25 → 191

        var two = new ImageSet(1, 1, 2, new byte[] { 1, 2 }, new[] { 0 }, new[] { "a" });
        var e = Assert.Throws<ArgumentException>(() => two.ResizedTo(2, 2));
        Assert.Contains("2", e.Message);
    }
}
