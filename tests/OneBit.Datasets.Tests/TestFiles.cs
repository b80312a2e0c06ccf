using SkiaSharp;

namespace OneBit.Datasets.Tests;

/// <summary>Temporary folders and small encoded images for the reader tests.</summary>
static class TestFiles
{
    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "onebit-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A <paramref name="w"/>×<paramref name="h"/> PNG of one colour.</summary>
    public static byte[] Png(byte r, byte g, byte b, int w = 4, int h = 3)
    {
        using var bmp = new SKBitmap(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        bmp.Erase(new SKColor(r, g, b));
        using var img = SKImage.FromBitmap(bmp);
        return img.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}
