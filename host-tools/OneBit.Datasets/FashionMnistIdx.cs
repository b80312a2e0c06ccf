using System.Buffers.Binary;
using System.IO.Compression;

namespace OneBit.Datasets;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017) in the original IDX format, plain or gzipped:
/// train-images-idx3-ubyte(.gz) / train-labels-idx1-ubyte(.gz) and t10k-… for the test split.
/// Debian's package dataset-fashion-mnist installs them under /usr/share/datasets/fashion-mnist/.
/// IDX (LeCun): big-endian magic 0x00000803 (u8, 3 dims) for images, 0x00000801 for labels, then the
/// dimensions as big-endian u32, then the bytes.
/// </summary>
public static class FashionMnistIdx
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <param name="test">false: the 60,000 training images; true: the 10,000 test images.</param>
    public static ImageSet Load(string directory, bool test = false, string[]? classNames = null)
    {
        string prefix = test ? "t10k" : "train";
        string images = Find(directory, $"{prefix}-images-idx3-ubyte");
        string labels = Find(directory, $"{prefix}-labels-idx1-ubyte");
        var (imgDims, px) = ReadIdx(images, 0x0803, 3);
        var (lblDims, lb) = ReadIdx(labels, 0x0801, 1);
        if (imgDims[0] != lblDims[0])
            throw new DatasetFormatException($"{images} holds {imgDims[0]} images but {labels} holds {lblDims[0]} labels");
        var names = classNames ?? ClassNames;
        var lab = new int[lb.Length];
        for (int i = 0; i < lb.Length; i++)
        {
            if (lb[i] >= names.Length) throw new DatasetFormatException($"{labels}: label {lb[i]} at index {i} is outside 0…{names.Length - 1}");
            lab[i] = lb[i];
        }
        return new ImageSet(imgDims[1], imgDims[2], 1, px, lab, names);
    }

    static string Find(string dir, string stem)
    {
        foreach (string name in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx") + ".gz", stem.Replace("-idx", ".idx") })
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new DatasetFormatException(
            $"{Path.Combine(dir, stem + ".gz")} not found: expected the Fashion-MNIST IDX files (gzipped or plain) in {dir}. " +
            "On Debian/Ubuntu: apt-get install dataset-fashion-mnist (installs them under " + DefaultDirectory + "), or pass --data DIR.");
    }

    static (int[] Dims, byte[] Data) ReadIdx(string path, int expectedMagic, int expectedDims)
    {
        byte[] all;
        try
        {
            using var fs = File.OpenRead(path);
            Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(fs, CompressionMode.Decompress) : fs;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            all = ms.ToArray();
        }
        catch (InvalidDataException e) { throw new DatasetFormatException($"{path}: not a valid gzip stream (expected a gzipped IDX file)", e); }
        string what = expectedDims == 3 ? "IDX3 image file (magic 0x00000803)" : "IDX1 label file (magic 0x00000801)";
        if (all.Length < 4 + 4 * expectedDims) throw new DatasetFormatException($"{path}: {all.Length} bytes, too short for an {what}");
        int magic = BinaryPrimitives.ReadInt32BigEndian(all);
        if (magic != expectedMagic) throw new DatasetFormatException($"{path}: magic 0x{magic:X8}, expected an {what}");
        var dims = new int[expectedDims];
        long n = 1;
        for (int d = 0; d < expectedDims; d++) { dims[d] = BinaryPrimitives.ReadInt32BigEndian(all.AsSpan(4 + 4 * d)); n *= dims[d]; }
        int off = 4 + 4 * expectedDims;
        if (all.Length - off != n) throw new DatasetFormatException($"{path}: header announces {n} data bytes, file has {all.Length - off} ({what})");
        return (dims, all.AsSpan(off).ToArray());
    }
}
