using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Mat;

namespace OneBit.Conversion.Importers;

internal static class ImportHelpers
{
    public static MatNumericArray Numeric(MatArray a, string what) =>
        a as MatNumericArray ?? throw new ModelImportException($"{what}: expected a numeric array, found {a.Class} {a.DimensionText}");

    /// <summary>
    /// Converts a 0/1 kernel stored column-major with dimensions [lead…, kh, kw, cin, cout] (leading
    /// singleton dimensions allowed, e.g. Keras' (1, kh, kw, cin, cout)) into ±1 weights in the
    /// [cout][kh][kw][cin] layout of <see cref="BinaryConv2d.Weights"/>.
    /// </summary>
    public static sbyte[] PlusMinusOneWeights(MatNumericArray a, string what, out int kh, out int kw, out int cin, out int cout)
    {
        var d = a.Dimensions;
        int n = d.Count;
        for (int i = 0; i < n - 4; i++)
            if (d[i] != 1) throw new ModelImportException($"{what}: kernel dimensions {a.DimensionText}, expected [1…,] kh x kw x Cin x Cout");
        if (n < 4) throw new ModelImportException($"{what}: kernel dimensions {a.DimensionText}, expected kh x kw x Cin x Cout");
        kh = d[n - 4]; kw = d[n - 3]; cin = d[n - 2]; cout = d[n - 1];
        if (kh == 0 || kw == 0 || cin == 0 || cout == 0) throw new ModelImportException($"{what}: empty kernel {a.DimensionText}");
        var w = new sbyte[(long)kh * kw * cin * cout];
        // Column-major: the first of the four kernel dimensions (kh) varies fastest.
        long sKw = kh, sCin = (long)kh * kw, sCout = (long)kh * kw * cin;
        int o = 0;
        for (int co = 0; co < cout; co++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++)
                    for (int ci = 0; ci < cin; ci++)
                    {
                        double v = a[(int)(ky + kx * sKw + ci * sCin + co * sCout)];
                        if (v == 1) w[o++] = 1;
                        else if (v == 0) w[o++] = -1;
                        else throw new ModelImportException($"{what}: weight ({ky},{kx},{ci},{co}) is {v}, expected 0 or 1");
                    }
        return w;
    }

    public static double[] Row(MatNumericArray a, int row)
    {
        int rows = a.Dimensions[0], cols = a.Count / Math.Max(rows, 1);
        var r = new double[cols];
        for (int c = 0; c < cols; c++) r[c] = a[row + c * rows];
        return r;
    }

    public static double[] Column(MatNumericArray a, int col)
    {
        int rows = a.Dimensions[0];
        var r = new double[rows];
        for (int i = 0; i < rows; i++) r[i] = a[i + col * rows];
        return r;
    }

    public static readonly string[] Cifar10Classes =
        { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };
}
