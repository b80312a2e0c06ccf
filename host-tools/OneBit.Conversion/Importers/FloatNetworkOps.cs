using OneBit.Conversion.FloatModel;
using OneBit.ModelExport;

namespace OneBit.Conversion.Importers;

/// <summary>
/// Turns an imported FloatNetwork into the op list the converter folds (the same form as a trainer export),
/// so published models and our own go through one folding, calibration and verification path. Activations
/// stay full precision (Bits = 0): the converter calibrates them.
/// </summary>
public static class FloatNetworkOps
{
    public static ExportedModel ToOps(FloatNetwork net)
    {
        net.Validate();
        if (net.Head.PostBn != null && net.Head.OutputScale != 1.0)
            throw new NotSupportedException($"{net.Name}: an output scale before the head batch norm is not expressible as a temperature");
        var m = new ExportedModel
        {
            Name = net.Name,
            Input = new ExportedInput { Height = net.InputHeight, Width = net.InputWidth, Channels = net.InputChannels, Alpha = net.Input.Alpha, Beta = net.Input.Beta },
            ClassNames = net.ClassNames.Count == net.NumClasses ? net.ClassNames.ToArray() : Enumerable.Range(0, net.NumClasses).Select(i => "class" + i).ToArray(),
            Architecture = new ExportedArchitecture { Family = "resnet_bn", Classes = net.NumClasses },
            Temperature = 1.0 / net.Head.OutputScale,
        };
        if (net.InputActivation != ActivationKind.None)
        {
            // A ReLU (or shifted ReLU) on the input affine is the identity when α·u + β stays above its floor for all
            // pixels 0…255 (true of the published MATLAB models); the stem of format v1 has no input activation otherwise.
            double floor = net.InputActivation == ActivationKind.Relu ? 0 : -1;
            for (int c = 0; c < net.InputChannels; c++)
            {
                double lowest = Math.Min(net.Input.Beta[c], 255 * net.Input.Alpha[c] + net.Input.Beta[c]);
                if (lowest < floor)
                    throw new NotSupportedException($"{net.Name}: the input activation {net.InputActivation} clips channel {c} (α·u + β reaches {lowest:G4}); a clipping input activation is not in blob format v1");
            }
        }
        int counter = 0;
        string Tensor(long[] shape, float[] data)
        {
            string name = "t" + counter++;
            m.Tensors.Add(new ExportedTensor(name, shape, data));
            return name;
        }
        ExportedLayer Conv(string op, BinaryConv2d c)
        {
            if (c.KernelH != c.KernelW) throw new NotSupportedException($"{c.Name}: non-square kernel {c.KernelH}x{c.KernelW}");
            int k = c.KernelH;
            var latent = new float[c.OutChannels * c.InChannels * k * k];
            for (int o = 0; o < c.OutChannels; o++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        for (int i = 0; i < c.InChannels; i++)
                            latent[((o * c.InChannels + i) * k + ky) * k + kx] = c.Weight(o, ky, kx, i);
            return new ExportedLayer
            {
                Op = op, Name = c.Name, Weight = Tensor(new long[] { c.OutChannels, c.InChannels, k, k }, latent), Kernel = k, Stride = c.Stride,
                PadTop = c.PadTop, PadLeft = c.PadLeft, InChannels = c.InChannels, OutChannels = c.OutChannels, Scale = c.Scale,
            };
        }
        ExportedBatchNorm? Bn(BatchNorm? bn)
        {
            if (bn == null) return null;
            float[] F(double[] v) => v.Select(x => (float)x).ToArray();
            long[] shape = { bn.Channels };
            return new ExportedBatchNorm
            {
                Mean = Tensor(shape, F(bn.Mean)), Var = Tensor(shape, F(bn.Variance)), Eps = bn.Epsilon,
                Gamma = bn.Gamma == null ? null : Tensor(shape, F(bn.Gamma)), Beta = bn.Beta == null ? null : Tensor(shape, F(bn.Beta)),
            };
        }
        ExportedLayer Quantize(string name, string source, ActivationKind kind, BatchNorm? bn) => new()
        {
            Op = LayerOps.Quantize, Name = name, Source = source, Bits = 0, BatchNorm = Bn(bn),
            Activation = kind switch
            {
                ActivationKind.Relu => "relu",
                ActivationKind.ShiftedRelu => "srelu",
                _ => throw new NotSupportedException($"{name}: a conv input without (shifted) ReLU cannot be quantized to levels"),
            },
        };

        m.Layers.Add(Conv(LayerOps.Stem, net.Stem));
        for (int i = 0; i < net.Blocks.Count; i++)
        {
            ResidualBlock b = net.Blocks[i];
            m.Layers.Add(Quantize($"block{i}.act1", "stream", b.Activation1, b.Bn1));
            m.Layers.Add(Conv(LayerOps.Conv, b.Conv1));
            m.Layers.Add(Quantize($"block{i}.act2", "acc", b.Activation2, b.Bn2));
            m.Layers.Add(Conv(LayerOps.Conv, b.Conv2));
            Shortcut s = b.Shortcut;
            if (s.Kind != ShortcutKind.Identity && s.CountIncludePad)
                throw new NotSupportedException($"block {i}: an average-pool shortcut that counts padded cells is not in format v1");
            m.Layers.Add(new ExportedLayer
            {
                Op = LayerOps.Residual, Name = $"block{i}.residual", Shortcut = s.Kind == ShortcutKind.Identity ? "identity" : "avgpool3x3s2",
                PadTop = s.PadTop, PadLeft = s.PadLeft,
            });
        }
        m.Layers.Add(Quantize("head.act", "stream", net.Head.Activation, net.Head.PreBn));
        m.Layers.Add(Conv(LayerOps.Conv, net.Head.Conv));
        m.Layers.Add(new ExportedLayer { Op = LayerOps.GlobalPool, Name = "head.pool", Classes = net.NumClasses, BatchNorm = Bn(net.Head.PostBn) });
        return m;
    }
}
