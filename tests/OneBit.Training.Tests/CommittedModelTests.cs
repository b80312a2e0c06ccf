using OneBit.ModelExport;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>The model committed under models/ reads back with the TorchSharp-free reader and says what its
/// model card says.</summary>
public class CommittedModelTests
{
    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Embedded.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repo root (Embedded.sln) not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void FashionMnistModelExportIsReadableAndMatchesItsCard()
    {
        string path = Path.Combine(RepoRoot(), "models", "fashion-mnist-srelu8-1-b2", "fashion-mnist-srelu8-1-b2.obmx");
        var m = ModelExportReader.Read(path);
        Assert.Equal("resnet_srelu", m.Architecture.Family);
        Assert.Equal((8, 1, 2, 10), (m.Architecture.Depth, m.Architecture.Width, m.Architecture.Bits, m.Architecture.Classes));
        Assert.Equal(74512, m.Architecture.ParameterCount);
        Assert.Equal((28, 28, 1), (m.Input.Height, m.Input.Width, m.Input.Channels));
        Assert.All(m.Quantizers, q => Assert.Equal((2, 3), (q.Bits!.Value, q.ZeroCode!.Value)));
        Assert.Equal(0.838, m.Metrics.ValidationAccuracy, 3);
        Assert.Equal(74512, m.Tensors.Sum(t => t.Data.Length));
    }
}
