using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OneBit.Training.Tests;

/// <summary>
/// Training steps while another thread forces collections and runs finalizers, as a long run meets them: a Scalar
/// that only its finalizer owns can be freed while libtorch reads it (see TensorOps). With every Scalar kept alive the
/// steps must neither fail nor differ by a bit from the same steps without the collector thread.
/// </summary>
public class ScalarLifetimeTests
{
    const int Steps = 400;

    static NetworkConfig Config(NetworkFamily family) => new()
    {
        Family = family, Depth = 8, Width = 1, BaseChannels = 4, Bits = 2, BatchNormAffine = family != NetworkFamily.ResNetSRelu,
        InputChannels = 1, InputHeight = 8, InputWidth = 8, Classes = 3, Mean = new[] { 100.0 }, Std = new[] { 50.0 },
    };

    /// <summary>Loss of every step and the final parameters, for <see cref="Steps"/> SGD steps on fixed random batches.</summary>
    static (float[] Losses, float[] Params) Run(NetworkFamily family, bool collect)
    {
        using var stop = new CancellationTokenSource();
        Exception? collectorError = null;
        var collector = new Thread(() =>
        {
            try { while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); } }
            catch (Exception e) { collectorError = e; }
        });
        torch.manual_seed(11);
        using var net = new OneBitResNet(Config(family));
        var latent = net.LatentWeights().ToHashSet();
        var opt = new SgdMomentum(net.named_parameters().Select(p => (p.name, p.parameter, latent.Contains(p.parameter))), 0.9, 5e-4);
        var rng = new Random(3);
        var losses = new float[Steps];
        if (collect) collector.Start();
        try
        {
            net.train();
            for (int s = 0; s < Steps; s++)
            {
                using var scope = NewDisposeScope();
                var pixels = Enumerable.Range(0, 4 * 64).Select(_ => (float)rng.Next(256)).ToArray();
                var labels = Enumerable.Range(0, 4).Select(_ => (long)rng.Next(3)).ToArray();
                var x = tensor(pixels, new long[] { 4, 1, 8, 8 });
                var y = tensor(labels, new long[] { 4 });
                opt.ZeroGrad();
                var loss = nn.functional.cross_entropy(net.forward(x), y);
                loss.backward();
                opt.Step(0.05);
                losses[s] = loss.item<float>();
            }
        }
        finally
        {
            stop.Cancel();
            if (collect) collector.Join();
        }
        Assert.Null(collectorError);
        var weights = net.parameters().SelectMany(p => p.detach().contiguous().data<float>().ToArray()).ToArray();
        return (losses, weights);
    }

    [Theory]
    [InlineData(NetworkFamily.ResNetSRelu)]
    [InlineData(NetworkFamily.ResNetBatchNorm)]
    public void TrainingStepsUnderConstantCollectionMatchUndisturbedSteps(NetworkFamily family)
    {
        var quiet = Run(family, collect: false);
        var pressed = Run(family, collect: true);
        Assert.All(quiet.Losses, l => Assert.True(float.IsFinite(l)));
        Assert.Equal(quiet.Losses, pressed.Losses);
        Assert.Equal(quiet.Params, pressed.Params);
        Assert.NotEqual(quiet.Losses[0], quiet.Losses[^1]);
    }
}
