using OneBit.Conversion.FloatReference;
using OneBit.ModelExport;
using OneBit.Runtime;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Conversion.Verification;

/// <summary>
/// Runs the float model (FloatForward, independent of the integer path) and the integer runtime on the same
/// frames and compares them layer by layer. Layer i of the blob is op i of the float model (ModelFolder
/// emits one record per op).
/// </summary>
public sealed class Verifier : ILayerObserver
{
    private readonly ExportedModel _model;
    private readonly Network _net;
    private readonly FloatForward _float;
    private readonly NetworkRunner _runner;
    private readonly LayerDeviation[] _layers;
    private readonly double[] _units;            // real value of one integer unit per layer output (0 for quantize)
    private readonly double[][] _floatOutputs;

    /// <param name="runner">A runner of <paramref name="net"/> (any kernels); the verifier becomes its observer.</param>
    public Verifier(ExportedModel model, Network net, NetworkRunner runner)
    {
        if (model.Layers.Count != net.Layers.Length)
            throw new ArgumentException($"the float model has {model.Layers.Count} ops, the blob {net.Layers.Length} layers: not a conversion of this model");
        _model = model;
        _net = net;
        _float = new FloatForward(model) { Observer = (i, values, h, w, c) => _floatOutputs![i] = values };
        _runner = runner;
        _runner.Observer = this;
        _floatOutputs = new double[model.Layers.Count][];
        _layers = model.Layers.Select((op, i) => new LayerDeviation { Index = i, Kind = op.Op, Name = op.Name }).ToArray();
        _units = Units(model, net);
    }

    private static double[] Units(ExportedModel model, Network net)
    {
        var units = new double[model.Layers.Count];
        double stream = Math.Pow(2, -net.StreamFracBits), acc = 0, delta = 0, step = 1;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            ExportedLayer op = model.Layers[i];
            switch (op.Op)
            {
                case LayerOps.Stem: case LayerOps.Residual: units[i] = stream; break;
                case LayerOps.Quantize: delta = op.Delta ?? 0; step = op.Step ?? 1; break;
                case LayerOps.Conv: acc = op.Scale * delta / 2 * step; units[i] = acc; break;
                case LayerOps.GlobalPool: units[i] = Math.Pow(2, -Folding.ModelFolder.LogitFracBits); break;
            }
        }
        return units;
    }

    public VerifyReport Report { get; } = new();

    /// <summary>Runs one frame through both paths; <paramref name="label"/> &lt; 0 when unknown.</summary>
    public (int floatClass, int integerClass) Add(byte[] pixels, int label)
    {
        double[] logits = _float.Forward(pixels);
        int f = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[f]) f = i;
        int n = _runner.Run(pixels);   // the observer compares each layer with _floatOutputs
        VerifyReport r = Report;
        r.Images++;
        if (f == n) r.Agreements++;
        if (label >= 0)
        {
            r.LabelledImages++;
            if (f == label) r.FloatCorrect++;
            if (n == label) r.IntegerCorrect++;
        }
        r.Layers = _layers;
        return (f, n);
    }

    void ILayerObserver.AfterLayer(int index, int[] stream, uint[] planes, int[] accumulator, int[] logits)
    {
        double[] expected = _floatOutputs[index];
        LayerDeviation d = _layers[index];
        Layer layer = _net.Layers[index];
        switch (layer)
        {
            case QuantizeLayer q:
                CompareLevels(d, q, expected, planes);
                break;
            case ConvLayer:
                Compare(d, expected, accumulator, _units[index]);
                break;
            case GlobalPoolLayer:
                Compare(d, expected, logits, _units[index]);
                break;
            default:
                Compare(d, expected, stream, _units[index]);
                break;
        }
    }

    private static void Compare(LayerDeviation d, double[] expected, int[] actual, double unit)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double dev = Math.Abs(expected[i] - actual[i] * unit);
            if (dev > d.MaxAbsDeviation) d.MaxAbsDeviation = dev;
            double mag = Math.Abs(expected[i]);
            if (mag > d.MaxAbsValue) d.MaxAbsValue = mag;
        }
        d.Elements += expected.Length;
    }

    private void CompareLevels(LayerDeviation d, QuantizeLayer q, double[] expected, uint[] planes)
    {
        ExportedLayer op = _model.Layers[q.Index];
        double halfDelta = (op.Step ?? 1) * (op.Delta ?? 1) / 2;   // the float model's level value s·(Δ/2)(2j − z)
        int z = op.ZeroCode ?? 0, c = q.Channels, wpc = BitConvention.WordsFor(c), bits = q.Bits;
        for (int i = 0; i < expected.Length; i++)
        {
            int px = i / c, ch = i % c, j = 0;
            for (int p = 0; p < bits; p++)
                if (BitConvention.GetBit(planes, (px * bits + p) * wpc, ch)) j |= 1 << p;
            int floatLevel = (int)Math.Round((expected[i] / halfDelta + z) / 2);
            if (floatLevel != j) d.LevelMismatches++;
        }
        d.Elements += expected.Length;
    }
}
