namespace OneBit.Datasets;

/// <summary>
/// CIFAR-10 / CIFAR-100 "binary version" (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html):
/// CIFAR-10 records are 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, each row-major 32×32),
/// files data_batch_1…5.bin / test_batch.bin, names in batches.meta.txt. CIFAR-100 records are 1 coarse +
/// 1 fine label byte + 3072 pixel bytes, files train.bin / test.bin, names in fine_label_names.txt.
/// Pixels are converted from channel-planar to HWC.
/// </summary>
public static class CifarBinary
{
    public static ImageSet Load(string directory, bool cifar100, bool test = false)
    {
        if (!Directory.Exists(directory))
            throw new DatasetFormatException($"{directory}: directory not found (expected {(cifar100 ? "cifar-100-binary/ with train.bin, test.bin" : "cifar-10-batches-bin/ with data_batch_1..5.bin, test_batch.bin")})");
        string[] files = cifar100
            ? new[] { test ? "test.bin" : "train.bin" }
            : test ? new[] { "test_batch.bin" } : Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();
        int labelBytes = cifar100 ? 2 : 1, record = labelBytes + 3072;
        int classes = cifar100 ? 100 : 10;
        var px = new List<byte[]>(); var labels = new List<int>();
        foreach (string f in files)
        {
            string path = Path.Combine(directory, f);
            if (!File.Exists(path))
                throw new DatasetFormatException($"{path} not found: expected the CIFAR-{classes} binary version (records of {labelBytes} label byte(s) + 3072 pixel bytes)");
            byte[] b = File.ReadAllBytes(path);
            if (b.Length == 0 || b.Length % record != 0)
                throw new DatasetFormatException($"{path}: {b.Length} bytes is not a multiple of the {record}-byte CIFAR-{classes} record ({labelBytes} label byte(s) + 3072 pixels)");
            for (int r = 0; r < b.Length / record; r++)
            {
                int o = r * record;
                int label = b[o + labelBytes - 1];
                if (label >= classes) throw new DatasetFormatException($"{path}: record {r} has label {label}, outside 0…{classes - 1}");
                var img = new byte[3072];
                for (int c = 0; c < 3; c++)
                    for (int p = 0; p < 1024; p++) img[p * 3 + c] = b[o + labelBytes + c * 1024 + p];
                px.Add(img); labels.Add(label);
            }
        }
        string namesFile = Path.Combine(directory, cifar100 ? "fine_label_names.txt" : "batches.meta.txt");
        string[] names = File.Exists(namesFile)
            ? File.ReadAllLines(namesFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray();
        if (names.Length != classes) names = Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray();
        var all = new byte[px.Count * 3072];
        for (int i = 0; i < px.Count; i++) Buffer.BlockCopy(px[i], 0, all, i * 3072, 3072);
        return new ImageSet(32, 32, 3, all, labels.ToArray(), names);
    }
}
