using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// What a shifted-ReLU network without batch norm sets from data before its first step (not on resume: the values are
/// in the checkpoint): every learned quantizer step (<see cref="LearnedStep.StartFrom"/>), in forward order so each
/// sees the scale its predecessors produce, and with <see cref="TemperatureRule.Auto"/> the logit temperature T.
/// </summary>
public static class DataDependentStart
{
    /// <summary>Standard deviation the auto rule gives the initial logits (over the batch and the classes): where the
    /// authors' fixed T = 40 puts them on their own CIFAR-10 network (WRN-20-10, 1-bit weights, full-precision shifted
    /// ReLU; McDonnell-Lab/1-bit-per-weight, ResNetModel.py and the CIFAR-10 shifted-ReLU notebook). Measured with this
    /// trainer: that network's raw logits have a standard deviation of 11.46 over 125 CIFAR-10 training images at
    /// initialization, and 11.46/40 = 0.29. The rule carries the authors' choice to networks of other widths, depths
    /// and activation bits, whose raw logit scale differs.</summary>
    public const double TargetLogitStd = 0.29;

    /// <returns>The temperature the rule chose, or null when T was left as configured.</returns>
    public static double? Apply(OneBitResNet net, Tensor batch, bool autoTemperature)
    {
        foreach (var a in net.PreActivations()) a.StartStepOnNextForward = a.step is not null;
        using var _ = NewDisposeScope();
        using var __ = no_grad();
        var logits = net.forward(batch);
        if (!autoTemperature) return null;
        // logits = raw/T: choose T so that raw/T has the target spread.
        double raw = logits.std().item<float>() * net.Temperature;
        if (!(raw > 0)) return null;
        double t = raw / TargetLogitStd;
        using Scalar logT = Math.Log(t).ToScalar();
        net.log_temperature.fill_(logT);
        return t;
    }
}
