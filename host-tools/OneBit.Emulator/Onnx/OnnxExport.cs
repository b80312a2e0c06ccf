using OneBit.Runtime;
using OneBit.Runtime.Model;

namespace OneBit.Emulator.Onnx;

/// <summary>
/// The float32 version of a blob's network as ONNX, for comparing against ONNX Runtime: the same convolutions
/// (weights ±1 from the blob's bits, true zero padding), shifted-ReLU as Max(x, −1), the average-pool shortcut
/// with zero channels, the 1×1 head and global average pool. Quantizers become plain activations and the folded
/// scales become Mul nodes, so the arithmetic cost is that of the float network the blob was converted from.
/// Input: [1, C, H, W] float pixels.
/// </summary>
public static class OnnxExport
{
    public static byte[] FromNetwork(Network net)
    {
        var g = new OnnxGraph();
        g.Input("pixels", new long[] { 1, net.InputChannels, net.InputHeight, net.InputWidth });
        string stream = "pixels", act = "", acc = "";
        int streamC = net.InputChannels;
        double unit = Math.Pow(2, -net.StreamFracBits);
        foreach (Layer layer in net.Layers)
        {
            switch (layer)
            {
                case StemLayer s:
                {
                    float[] scale = new float[s.InChannels], shift = new float[s.InChannels];
                    for (int c = 0; c < s.InChannels; c++)
                    {
                        double k = Math.Pow(2, -(net.StreamFracBits + s.Shift));
                        scale[c] = (float)(s.PixelScale[c] * k);
                        shift[c] = (float)(s.WeightSumScale[c] * k);
                    }
                    string x = g.Node("Add", new[] { g.Node("Mul", new[] { "pixels", g.Initializer(g.Fresh("a"), new long[] { 1, s.InChannels, 1, 1 }, scale) }),
                        g.Initializer(g.Fresh("b"), new long[] { 1, s.InChannels, 1, 1 }, shift) });
                    stream = Conv(g, x, s.Weights, s.OutChannels, s.InChannels, s.KernelSize, 1, s.PadTop, s.PadLeft, s.Height, s.Width);
                    streamC = s.OutChannels;
                    break;
                }
                case QuantizeLayer q:
                    act = g.Node("Max", new[] { q.Source == QuantizeLayer.FromStream ? stream : acc, g.Scalar(-1f) });
                    break;
                case ConvLayer c:
                    acc = Conv(g, act, c.Weights, c.OutChannels, c.InChannels, c.KernelSize, c.Stride, c.PadTop, c.PadLeft, c.InHeight, c.InWidth);
                    break;
                case ResidualLayer r:
                {
                    string shortcut = stream;
                    if (r.Shortcut == ResidualLayer.AvgPool3x3Stride2)
                    {
                        long padB = Math.Max(0, 2 * (r.OutHeight - 1) + 3 - r.InHeight - r.PadTop), padR = Math.Max(0, 2 * (r.OutWidth - 1) + 3 - r.InWidth - r.PadLeft);
                        shortcut = g.Node("AveragePool", new[] { stream }, ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }),
                            ("pads", new long[] { r.PadTop, r.PadLeft, padB, padR }), ("count_include_pad", 0L));
                    }
                    if (r.OutChannels > r.InChannels) shortcut = PadChannels(g, shortcut, r.OutChannels - r.InChannels);
                    float m = (float)(r.Multipliers[0] * Math.Pow(2, -r.Shift) * unit);
                    stream = g.Node("Add", new[] { shortcut, g.Node("Mul", new[] { acc, g.Scalar(m) }) });
                    streamC = r.OutChannels;
                    break;
                }
                case GlobalPoolLayer p:
                {
                    string pooled = g.Node("GlobalAveragePool", new[] { acc });
                    string scaled = g.Node("Mul", new[] { pooled, g.Scalar((float)(p.Scale[0] * Math.Pow(2, -p.Shift))) });
                    string flat = g.Node("Flatten", new[] { scaled });
                    g.Output(flat, new long[] { 1, p.Classes });
                    break;
                }
            }
        }
        return g.ToModel(net.Name);
    }

    private static string Conv(OnnxGraph g, string x, uint[] bits, int cout, int cin, int k, int stride, int padTop, int padLeft, int h, int w)
    {
        int wpc = BitConvention.WordsFor(cin);
        var weights = new float[cout * cin * k * k];
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        weights[((o * cin + c) * k + ky) * k + kx] = BitConvention.GetBit(bits, ((o * k + ky) * k + kx) * wpc, c) ? 1f : -1f;
        int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
        long padB = Math.Max(0, (oh - 1) * stride + k - h - padTop), padR = Math.Max(0, (ow - 1) * stride + k - w - padLeft);
        string wName = g.Initializer(g.Fresh("w"), new long[] { cout, cin, k, k }, weights);
        return g.Node("Conv", new[] { x, wName }, ("kernel_shape", new long[] { k, k }), ("strides", new long[] { stride, stride }),
            ("pads", new long[] { padTop, padLeft, padB, padR }));
    }

    /// <summary>Appends zero channels (the paper's shortcut extension) by concatenating a zero tensor of the right shape.</summary>
    private static string PadChannels(OnnxGraph g, string x, int extra)
    {
        return g.Node("Pad", new[] { x, PadsTensor(g, extra) }, ("mode", "constant"));
    }

    private static string PadsTensor(OnnxGraph g, int extra)
    {
        // int64 tensor [0, 0, 0, 0, 0, extra, 0, 0] (begin N, C, H, W; end N, C, H, W).
        return g.Int64Initializer(g.Fresh("pads"), new long[] { 0, 0, 0, 0, 0, extra, 0, 0 });
    }
}
