using System.Formats.Tar;
using System.IO.Compression;
using SkiaSharp;

namespace OneBit.Datasets;

/// <summary>
/// ImageFolder layout (torchvision convention): &lt;root&gt;/&lt;class&gt;/&lt;image&gt;.jpg|.jpeg|.png, classes
/// sorted by ordinal name, labels 0…C−1 in that order, images sorted by path within a class. The root is a
/// directory or a .tar/.tar.gz/.tgz archive of such a tree (read in memory, no extraction), e.g.
/// ../shared/datasets/cifar10-train-jpeg.tar.gz (train/&lt;class&gt;/NNNN.jpg). Images are decoded with
/// SkiaSharp to RGB (channels = 3) or luminance (channels = 1); all images must have the same size.
/// </summary>
public static class ImageFolder
{
    static readonly string[] Extensions = { ".jpg", ".jpeg", ".png" };

    public static ImageSet Load(string path, int channels = 3)
    {
        if (channels is not (1 or 3)) throw new ArgumentException("channels must be 1 or 3");
        var entries = new List<(string Class, string Name, byte[] Bytes)>();
        if (Directory.Exists(path))
        {
            foreach (string classDir in Directory.GetDirectories(path))
                foreach (string f in Directory.EnumerateFiles(classDir))
                    if (IsImage(f)) entries.Add((Path.GetFileName(classDir), Path.GetFileName(f), File.ReadAllBytes(f)));
        }
        else if (File.Exists(path)) ReadArchive(path, entries);
        else throw new DatasetFormatException($"{path}: not found (expected an ImageFolder tree <root>/<class>/<image>.jpg|.png, as a directory or a .tar.gz)");

        if (entries.Count == 0)
            throw new DatasetFormatException($"{path}: no images found (expected <root>/<class>/<image>.jpg|.jpeg|.png)");
        string[] classes = entries.Select(e => e.Class).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        entries.Sort((a, b) => classIndex[a.Class] != classIndex[b.Class] ? classIndex[a.Class].CompareTo(classIndex[b.Class]) : string.CompareOrdinal(a.Name, b.Name));

        int h = 0, w = 0;
        byte[]? pixels = null;
        var labels = new int[entries.Count];
        var decoded = new byte[entries.Count][];
        try
        {
            Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                decoded[i] = Decode(entries[i].Bytes, channels, out int ih, out int iw, $"{path}: {entries[i].Class}/{entries[i].Name}");
                decoded[i] = Prefix(ih, iw, decoded[i]);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is DatasetFormatException d) { throw d; }
        for (int i = 0; i < entries.Count; i++)
        {
            int ih = BitConverter.ToInt32(decoded[i], 0), iw = BitConverter.ToInt32(decoded[i], 4);
            if (i == 0) { h = ih; w = iw; pixels = new byte[(long)entries.Count * h * w * channels]; }
            else if (ih != h || iw != w)
                throw new DatasetFormatException($"{path}: {entries[i].Class}/{entries[i].Name} is {iw}×{ih}, the first image is {w}×{h}; all images must have the same size");
            Buffer.BlockCopy(decoded[i], 8, pixels!, i * h * w * channels, h * w * channels);
            labels[i] = classIndex[entries[i].Class];
        }
        return new ImageSet(h, w, channels, pixels!, labels, classes);
    }

    static byte[] Prefix(int h, int w, byte[] data)
    {
        var r = new byte[8 + data.Length];
        BitConverter.TryWriteBytes(r.AsSpan(0), h); BitConverter.TryWriteBytes(r.AsSpan(4), w);
        Buffer.BlockCopy(data, 0, r, 8, data.Length);
        return r;
    }

    static bool IsImage(string name) => Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    static void ReadArchive(string path, List<(string, string, byte[])> entries)
    {
        try
        {
            using var fs = File.OpenRead(path);
            Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(fs, CompressionMode.Decompress) : fs;
            using var tar = new TarReader(s);
            TarEntry? e;
            while ((e = tar.GetNextEntry()) is not null)
            {
                if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || e.DataStream is null || !IsImage(e.Name)) continue;
                string[] parts = e.Name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2) continue;
                using var ms = new MemoryStream();
                e.DataStream.CopyTo(ms);
                entries.Add((parts[^2], string.Join('/', parts), ms.ToArray()));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DatasetFormatException($"{path}: not a readable tar or tar.gz archive of an ImageFolder tree ({ex.Message})", ex);
        }
    }

    /// <summary>Decodes one JPEG/PNG to HWC bytes (RGB, or luminance 0.299R + 0.587G + 0.114B rounded).</summary>
    public static byte[] Decode(byte[] encoded, int channels, out int height, out int width, string what = "image")
    {
        SKBitmap? decodedBitmap = null;
        try { decodedBitmap = SKBitmap.Decode(encoded); }
        catch (ArgumentException) { } // SkiaSharp throws instead of returning null when no codec recognizes the bytes
        using var bmp = decodedBitmap ?? throw new DatasetFormatException($"{what}: not a decodable JPEG or PNG");
        height = bmp.Height; width = bmp.Width;
        using var rgba = bmp.ColorType == SKColorType.Rgba8888 ? null : bmp.Copy(SKColorType.Rgba8888);
        var src = (rgba ?? bmp).GetPixelSpan();
        var dst = new byte[height * width * channels];
        for (int p = 0; p < height * width; p++)
        {
            byte r = src[4 * p], g = src[4 * p + 1], b = src[4 * p + 2];
            if (channels == 3) { dst[3 * p] = r; dst[3 * p + 1] = g; dst[3 * p + 2] = b; }
            else dst[p] = (byte)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
        }
        return dst;
    }
}
