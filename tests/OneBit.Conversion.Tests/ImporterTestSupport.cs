using System.Formats.Tar;
using System.IO.Compression;
using OneBit.Datasets;

namespace OneBit.Conversion.Tests;

/// <summary>
/// A deterministic sample of the CIFAR-10 JPEG training set (../shared/datasets/cifar10-train-jpeg.tar.gz,
/// ImageFolder train/&lt;class&gt;/NNNN.jpg): per class, images evenly spaced in name order, decoded by
/// OneBit.Datasets.ImageFolder to RGB bytes 32×32×3 (row-major, channel fastest). Labels 0..9 = airplane … truck.
/// </summary>
public static class ImporterTestSupport
{
    public const string Cifar10Tar = "datasets/cifar10-train-jpeg.tar.gz";
    public static readonly string[] Classes = { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    static readonly object Gate = new();
    static Dictionary<string, List<(string Name, byte[] Jpeg)>> _entries;

    public static List<(byte[] Rgb, int Label)> CifarSample(int perClass)
    {
        string path = MatTestSupport.Require(Cifar10Tar);
        lock (Gate)
        {
            _entries ??= ReadTar(path);
        }
        var result = new List<(byte[], int)>();
        for (int c = 0; c < Classes.Length; c++)
        {
            if (!_entries.TryGetValue(Classes[c], out var list) || list.Count == 0)
                Assert.Fail($"{path}: no images for class '{Classes[c]}'");
            var sorted = list.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            int step = Math.Max(1, sorted.Count / perClass);
            for (int k = 0; k < perClass && k * step < sorted.Count; k++)
                result.Add((DecodeRgb(sorted[k * step].Jpeg), c));
        }
        return result;
    }

    static Dictionary<string, List<(string, byte[])>> ReadTar(string path)
    {
        var d = new Dictionary<string, List<(string, byte[])>>();
        using var fs = File.OpenRead(path);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        TarEntry e;
        while ((e = tar.GetNextEntry()) != null)
        {
            if (e.DataStream == null || !e.Name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)) continue;
            var parts = e.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            using var ms = new MemoryStream();
            e.DataStream.CopyTo(ms);
            if (!d.TryGetValue(parts[^2], out var l)) d[parts[^2]] = l = new List<(string, byte[])>();
            l.Add((parts[^1], ms.ToArray()));
        }
        return d;
    }

    public static byte[] DecodeRgb(byte[] jpeg)
    {
        byte[] px = ImageFolder.Decode(jpeg, 3, out int height, out int width);
        Assert.Equal((32, 32), (height, width));
        return px;
    }
}
