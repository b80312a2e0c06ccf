using SkiaSharp;
using Xunit;

namespace OneBit.Training.Tests;

public class DatasetLoaderTests
{
    static byte[] Png(byte r, byte g, byte b)
    {
        using var bmp = new SKBitmap(4, 3, SKColorType.Rgba8888, SKAlphaType.Premul);
        bmp.Erase(new SKColor(r, g, b));
        using var img = SKImage.FromBitmap(bmp);
        return img.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    [Fact]
    public void InputSizeBringsEverySplitToTheModelSizeWithTheDevicePreprocessing()
    {
        string root = Synthetic.TempDir();
        try
        {
            foreach (var (cls, color) in new[] { ("cat", (byte)200), ("airplane", (byte)10) })
            {
                Directory.CreateDirectory(Path.Combine(root, cls));
                for (int i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(root, cls, $"{i:D4}.png"), Png(color, (byte)i, 7));
            }
            var fromDir = ImageFolder.Load(root);
            var splits = DatasetLoader.Load(new TrainOptions { Dataset = "imagefolder", DataPath = root, ValidationPerClass = 1, InputSize = 2 });
            Assert.Equal((2, 2, 4, 2), (splits.Train.Height, splits.Train.Width, splits.Train.Count, splits.Validation.Height));
            Assert.Equal(fromDir.ResizedTo(2, 2).Image(2).ToArray(), splits.Validation.Image(0).ToArray());
        }
        finally { Directory.Delete(root, true); }
    }
}
