using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Batch norm without learned scale and offset (McDonnell 2018 §2.3), running statistics with momentum 0.1.
/// Same buffers and arithmetic as TorchSharp's BatchNorm2d(affine: false), through the functional form: the module's
/// training forward bumps num_batches_tracked with an implicit Scalar whose finalizer can free it while libtorch still
/// reads it ("For integral input tensors, argument alpha must not be a floating point number", seen after 20 epochs
/// of CIFAR-10 training). num_batches_tracked is kept (never read with a fixed momentum) so checkpoints keep their names.
/// </summary>
public sealed class ScaleFreeBatchNorm : nn.Module<Tensor, Tensor>
{
    public const double Momentum = 0.1;
    public readonly Tensor running_mean, running_var, num_batches_tracked;
    readonly double _eps;

    public ScaleFreeBatchNorm(string name, int channels, double eps) : base(name)
    {
        _eps = eps;
        running_mean = zeros(channels);
        running_var = ones(channels);
        num_batches_tracked = zeros(1, ScalarType.Int64).squeeze();
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
    }

    /// <summary>The running mean and variance as float arrays (what the export writes).</summary>
    public (float[] Mean, float[] Var) Statistics()
    {
        using var mean = running_mean.detach().cpu().contiguous();
        using var var = running_var.detach().cpu().contiguous();
        return (mean.data<float>().ToArray(), var.data<float>().ToArray());
    }

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, running_mean, running_var, null, null, training, Momentum, _eps);
}
