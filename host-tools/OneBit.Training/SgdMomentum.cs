using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// SGD with momentum and L2 weight decay, the exact update of torch.optim.SGD
/// (dampening 0, no Nesterov): g ← ∇ + λ·W; v ← μ·v + g (v ← g on the first step); W ← W − lr·v.
/// Written here rather than using TorchSharp's optimizer so the momentum buffers are plain named
/// tensors the checkpoint stores and restores exactly. Weight decay applies only to the parameters listed
/// as decayed (the latent conv weights, McDonnell 2018 §3: 5e-4).
/// </summary>
public sealed class SgdMomentum
{
    public double Momentum { get; }
    public double WeightDecay { get; }
    readonly List<(string Name, TorchSharp.Modules.Parameter P, bool Decay)> _params = new();
    public Dictionary<string, Tensor> Buffers { get; } = new();

    public SgdMomentum(IEnumerable<(string Name, TorchSharp.Modules.Parameter P, bool Decay)> parameters, double momentum, double weightDecay)
    {
        _params.AddRange(parameters);
        Momentum = momentum; WeightDecay = weightDecay;
    }

    public void ZeroGrad()
    {
        foreach (var (_, p, _) in _params) p.grad?.zero_();
    }

    public void Step(double lr)
    {
        using var _ = no_grad();
        // Explicit Scalars, disposed after the loop, and add_ with an explicit alpha (see TensorOps).
        using Scalar momentum = Momentum.ToScalar(), decay = WeightDecay.ToScalar(), step = (-lr).ToScalar();
        foreach (var (name, p, decayed) in _params)
        {
            var g = p.grad;
            if (g is null) continue;
            using var d = decayed && WeightDecay != 0 ? g.add(p, alpha: decay) : g.clone();
            if (Momentum != 0)
            {
                if (Buffers.TryGetValue(name, out var v)) TensorOps.AddInPlace(v.mul_(momentum), d);
                else Buffers[name] = v = d.clone().DetachFromDisposeScope();
                p.add_(v, alpha: step);
            }
            else p.add_(d, alpha: step);
        }
    }
}
