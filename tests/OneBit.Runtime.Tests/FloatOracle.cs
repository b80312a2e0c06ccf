namespace OneBit.Runtime.Tests;

/// <summary>
/// Independent float (double) versions of each layer, written the way a float framework computes them:
/// explicit zero-padded tensors, real-valued levels, plain averages. They share no code with the runtime.
/// </summary>
public static class FloatOracle
{
    /// <summary>Standard "pad with zeros, then valid convolution" over a real HWC tensor and real weights.</summary>
    public static double[] Conv(double[] x, int h, int w, int cin, double[] weights /* [o][ky][kx][c] */, int cout,
        int k, int stride, int padTop, int padLeft, out int oh, out int ow)
    {
        oh = (h + stride - 1) / stride;
        ow = (w + stride - 1) / stride;
        int ph = h + 2 * k + 2, pw = w + 2 * k + 2;
        var padded = new double[ph * pw * cin];
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < w; xx++)
                for (int c = 0; c < cin; c++)
                    padded[((y + padTop) * pw + xx + padLeft) * cin + c] = x[(y * w + xx) * cin + c];
        var y0 = new double[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int o = 0; o < cout; o++)
                {
                    double s = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                            for (int c = 0; c < cin; c++)
                                s += weights[((o * k + ky) * k + kx) * cin + c] * padded[((oy * stride + ky) * pw + ox * stride + kx) * cin + c];
                    y0[(oy * ow + ox) * cout + o] = s;
                }
        return y0;
    }

    /// <summary>±1 weights from packed bits, by the contract's convention (bit 1 = +1).</summary>
    public static double[] UnpackWeights(uint[] words, int cout, int k, int cin)
    {
        int wpc = (cin + 31) / 32;
        var w = new double[cout * k * k * cin];
        for (int t = 0; t < cout * k * k; t++)
            for (int c = 0; c < cin; c++)
                w[t * cin + c] = ((words[t * wpc + c / 32] >> (c % 32)) & 1) == 1 ? 1.0 : -1.0;
        return w;
    }

    /// <summary>The float quantizer of CONTRACT.md §3: clamp(floor(x/Δ + (z+1)/2), 0, L−1).</summary>
    public static int Quantize(double x, double delta, int zero, int bits)
    {
        double j = Math.Floor(x / delta + (zero + 1) / 2.0);
        return (int)Math.Clamp(j, 0, (1 << bits) - 1);
    }

    /// <summary>Average of the valid cells of a 3×3 stride-2 window (count_include_pad = false).</summary>
    public static double[] AvgPool3x3S2(double[] x, int h, int w, int c, int padTop, int padLeft, out int oh, out int ow)
    {
        oh = (h + 1) / 2; ow = (w + 1) / 2;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ch = 0; ch < c; ch++)
                {
                    double s = 0; int n = 0;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++)
                        {
                            int iy = 2 * oy - padTop + ky, ix = 2 * ox - padLeft + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) { s += x[(iy * w + ix) * c + ch]; n++; }
                        }
                    y[(oy * ow + ox) * c + ch] = s / n;
                }
        return y;
    }

    public static long RoundHalfUp(double v) => (long)Math.Floor(v + 0.5);
}
