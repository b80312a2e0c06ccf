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
        Assert.Equal(74512, m.Tensors.Sum(t => t.Data.Length));
    }
}
