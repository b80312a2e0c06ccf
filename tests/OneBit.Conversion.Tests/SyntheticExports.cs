using OneBit.ModelExport;

namespace OneBit.Conversion.Tests;

/// <summary>Seeded random float op lists shaped like the trainer's exports (both families), for fold-and-run tests.</summary>
public static class SyntheticExports
{
    public static ExportedModel Make(int seed, string family = "resnet_srelu", int bits = 2, int size = 8, int width = 8, int blocks = 2, int classes = 5, int strideTwoPad = 1)
    {
        var rng = new Random(seed);
        var m = new ExportedModel { Name = $"synthetic-{family}-{seed}", Temperature = 0.5 + rng.NextDouble() };
        m.Input = new ExportedInput { Height = size, Width = size, Channels = 3, Alpha = new[] { 1 / 60.0, 1 / 64.0, 1 / 70.0 }, Beta = new[] { -2.1, -1.9, -2.0 } };
        m.ClassNames = Enumerable.Range(0, classes).Select(i => "c" + i).ToArray();
        m.Architecture = new ExportedArchitecture { Family = family, Classes = classes, Bits = bits };
        bool bn = family == "resnet_bn";
        int n = 0;
        string Tensor(long[] shape, Func<double> gen)
        {
            string name = "t" + n++;
            long count = shape.Aggregate(1L, (a, b) => a * b);
            m.Tensors.Add(new ExportedTensor(name, shape, Enumerable.Range(0, (int)count).Select(_ => (float)gen()).ToArray()));
            return name;
        }
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        ExportedLayer Conv(string op, int cin, int cout, int k, int stride, int pad) => new()
        {
            Op = op, Name = op + m.Layers.Count, Weight = Tensor(new long[] { cout, cin, k, k }, Normal), Kernel = k, Stride = stride,
            PadTop = pad, PadLeft = pad, InChannels = cin, OutChannels = cout, Scale = Math.Sqrt(2.0 / (k * k * cin)),
        };
        ExportedLayer Quant(string source, int channels)
        {
            var q = new ExportedLayer { Op = LayerOps.Quantize, Name = "q" + m.Layers.Count, Source = source, Bits = bits };
            if (bn)
            {
                q.Activation = "relu"; q.ZeroCode = 0; q.Delta = 3.0 / ((1 << bits) - 1);
                q.BatchNorm = new ExportedBatchNorm { Mean = Tensor(new long[] { channels }, () => Normal() * 0.3), Var = Tensor(new long[] { channels }, () => 0.5 + rng.NextDouble()), Eps = 1e-5 };
            }
            else
            {
                int z = (1 << bits) - 1;
                q.Activation = "srelu"; q.ZeroCode = z; q.Delta = 2.0 / z;
            }
            return q;
        }

        int c = width;
        m.Layers.Add(Conv(LayerOps.Stem, 3, c, 3, 1, 1));
        for (int b = 0; b < blocks; b++)
        {
            bool down = b % 2 == 1;
            int cout = down ? 2 * c : c;
            m.Layers.Add(Quant("stream", c));
            m.Layers.Add(Conv(LayerOps.Conv, c, cout, 3, down ? 2 : 1, down ? strideTwoPad : 1));
            m.Layers.Add(Quant("acc", cout));
            m.Layers.Add(Conv(LayerOps.Conv, cout, cout, 3, 1, 1));
            m.Layers.Add(new ExportedLayer { Op = LayerOps.Residual, Name = "res" + b, Shortcut = down ? "avgpool3x3s2" : "identity", PadTop = down ? strideTwoPad : 0, PadLeft = down ? strideTwoPad : 0 });
            c = cout;
        }
        m.Layers.Add(Quant("stream", c));
        m.Layers.Add(Conv(LayerOps.Conv, c, classes, 1, 1, 0));
        var pool = new ExportedLayer { Op = LayerOps.GlobalPool, Name = "pool", Classes = classes };
        if (bn) pool.BatchNorm = new ExportedBatchNorm { Mean = Tensor(new long[] { classes }, () => Normal() * 0.1), Var = Tensor(new long[] { classes }, () => 0.2 + rng.NextDouble()), Eps = 1e-5 };
        m.Layers.Add(pool);
        return m;
    }
}
