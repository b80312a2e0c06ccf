using OneBit.Runtime.Frames;

namespace OneBit.Datasets;

/// <summary>
/// Brings a dataset to a model's input size with the device's own preprocessing (shared/Frames/FramePreprocessor:
/// center crop to the aspect ratio, area mean, rounded half up), so a model trained on resized images sees on the
/// device exactly what it was trained on, whether the frame came from a camera or from the dataset.
/// </summary>
public static class ModelInputResize
{
    /// <summary>This set at <paramref name="height"/>×<paramref name="width"/> (itself when it already is).</summary>
    public static ImageSet ResizedTo(this ImageSet set, int height, int width)
    {
        if (set.Height == height && set.Width == width) return set;
        if (height < 1 || width < 1) throw new ArgumentException($"input size {height}×{width} must be positive");
        var format = set.Channels switch
        {
            1 => PixelFormat.Gray8,
            3 => PixelFormat.Rgb888,
            _ => throw new ArgumentException($"only 1- or 3-channel images can be resized, not {set.Channels}"),
        };
        var pre = new FramePreprocessor(set.Width, set.Height, format, height, width, set.Channels, ResizeMode.Area, true);
        int inSize = set.ImageSize, outSize = height * width * set.Channels;
        var pixels = new byte[(long)set.Count * outSize];
        Parallel.For(0, set.Count, () => (src: new byte[inSize], dst: new byte[outSize]), (i, _, buf) =>
        {
            set.Image(i).CopyTo(buf.src);
            pre.Process(buf.src, buf.dst);
            Buffer.BlockCopy(buf.dst, 0, pixels, i * outSize, outSize);
            return buf;
        }, _ => { });
        return new ImageSet(height, width, set.Channels, pixels, set.Labels, set.ClassNames);
    }
}
