using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OneBit.Training.Tests;

public class ScaleFreeBatchNormTests
{
    [Fact]
    public void MatchesTorchBatchNormWithoutAffineInTrainingAndEvaluation()
    {
        manual_seed(3);
        var ours = new ScaleFreeBatchNorm("bn", 5, 1e-5);
        var torchBn = nn.BatchNorm2d(5, eps: 1e-5, momentum: 0.1, affine: false, track_running_stats: true);
        ours.train(); torchBn.train();
        for (int step = 0; step < 3; step++)
        {
            using var x = randn(4, 5, 6, 7).mul(2).add(0.5);
            using var a = ours.forward(x);
            using var b = torchBn.forward(x);
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
        }
        Assert.True(ours.running_mean.allclose(torchBn.running_mean!, rtol: 1e-5, atol: 1e-7));
        Assert.True(ours.running_var.allclose(torchBn.running_var!, rtol: 1e-5, atol: 1e-7));
        Assert.NotEqual(0f, ours.running_mean.abs().sum().item<float>());
        ours.eval(); torchBn.eval();
        using var y = randn(2, 5, 3, 3);
        Assert.True(ours.forward(y).allclose(torchBn.forward(y), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void KeepsTheBufferNamesOfTorchBatchNormSoCheckpointsStillLoad()
    {
        var ours = new ScaleFreeBatchNorm("bn", 5, 1e-5);
        var torchBn = nn.BatchNorm2d(5, eps: 1e-5, momentum: 0.1, affine: false, track_running_stats: true);
        Assert.Equal(torchBn.state_dict().Keys.OrderBy(k => k), ours.state_dict().Keys.OrderBy(k => k));
        Assert.Equal(torchBn.state_dict()["num_batches_tracked"].shape, ours.state_dict()["num_batches_tracked"].shape);
    }
}
