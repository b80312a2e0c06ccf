namespace OneBit.Training.Tests;

/// <summary>Small learnable image sets made in memory: each class is a fixed random template plus noise.</summary>
static class Synthetic
{
    public static ImageSet Images(int perClass, int classes, int size = 12, int channels = 1, int seed = 7, int noise = 30)
    {
        var rnd = new Random(seed);
        int sz = size * size * channels;
        var templates = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, sz).Select(_ => (byte)rnd.Next(256)).ToArray()).ToArray();
        var px = new byte[perClass * classes * sz];
        var labels = new int[perClass * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            int c = i % classes;
            labels[i] = c;
            for (int p = 0; p < sz; p++) px[i * sz + p] = (byte)Math.Clamp(templates[c][p] + rnd.Next(-noise, noise + 1), 0, 255);
        }
        return new ImageSet(size, size, channels, px, labels, Enumerable.Range(0, classes).Select(c => "class" + c).ToArray());
    }

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "onebit-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
