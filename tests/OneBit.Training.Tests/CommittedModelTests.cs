using OneBit.ModelExport;
using OneBit.Paths;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>The model committed under models/ reads back with the TorchSharp-free reader and says what its
/// model card says.</summary>
public class CommittedModelTests
{
    [Fact]
    public void FashionMnistModelExportIsReadableAndMatchesItsCard()
    {
        string path = Path.Combine(RepositoryPaths.Root, "models", "fashion-mnist-bn8-1-b2", "fashion-mnist-bn8-1-b2.obmx");
        var m = ModelExportReader.Read(path);
        Assert.Equal("resnet_bn", m.Architecture.Family);
        Assert.Equal((8, 1, 2, 10), (m.Architecture.Depth, m.Architecture.Width, m.Architecture.Bits, m.Architecture.Classes));
        Assert.Equal(74512, m.Architecture.ParameterCount);
        Assert.Equal((28, 28, 1), (m.Input.Height, m.Input.Width, m.Input.Channels));
        Assert.All(m.Quantizers, q => Assert.Equal((2, 0), (q.Bits!.Value, q.ZeroCode!.Value)));
        Assert.Equal(0.8976, m.Metrics.ValidationAccuracy, 4);
        Assert.Equal(0.8939, m.Metrics.TestAccuracy!.Value, 4);
        // The binary convs' latent weights, and the batch norms' statistics (γ, β folded in): mean and variance per
        // channel before each of the 7 quantizers (16, 16, 16, 32, 32, 64, 64 channels) and of the head's 10 logits.
        Assert.Equal(74512, m.Tensors.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)).Sum(t => t.Data.Length));
        Assert.Equal(2 * (3 * 16 + 2 * 32 + 2 * 64 + 10), m.Tensors.Where(t => !t.Name.EndsWith(".weight", StringComparison.Ordinal)).Sum(t => t.Data.Length));
    }
}
