namespace OneBit.Runtime.Tests;

/// <summary>The sweep every conv kernel is run over: channel counts across word edges, odd and tiny images.</summary>
public static class KernelSweeps
{
    public static readonly int[] ChannelCounts = { 1, 31, 32, 33, 63, 64, 65, 127, 128, 129 };

    /// <summary>(channels, height, width, k, stride, pad, bits, zero) cases; seeded, so stable across runs.</summary>
    public static IEnumerable<object[]> ConvCases()
    {
        var shapes = new[] { (1, 1), (3, 5), (7, 7), (8, 6), (5, 19) }; // 19 columns: two full 8-pixel groups and a tail
        var bitsZero = new[] { (1, 1), (2, 3), (2, 0), (4, 15), (8, 255), (8, 0) };
        int i = 0;
        foreach (int c in ChannelCounts)
        {
            foreach (var (h, w) in shapes)
            {
                var (bits, zero) = bitsZero[i % bitsZero.Length];
                int k = i % 5 == 4 ? 1 : 3;
                int stride = i % 3 == 2 ? 2 : 1;
                int pad = k == 1 ? 0 : (stride == 2 && i % 2 == 0 ? 0 : 1);
                yield return new object[] { c, h, w, k, stride, pad, bits, zero };
                i++;
            }
        }
    }
}
