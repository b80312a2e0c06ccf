using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>Priority 1 of the trainer: the native TorchSharp libraries load here (see
/// host-tools/OneBit.Training/build/GlibcxxWeakPatch.cs for the Debian 12 libstdc++ workaround).</summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void CreatesTensorAndRunsConv()
    {
        using var x = ones(1, 2, 5, 5);
        using var w = ones(3, 2, 3, 3);
        using var y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });
        Assert.Equal(new long[] { 1, 3, 5, 5 }, y.shape);
        // Interior output sums 2 channels x 9 taps of ones; a corner sees 2 x 4 valid taps (zero padding).
        Assert.Equal(18f, y[0, 0, 2, 2].item<float>());
        Assert.Equal(8f, y[0, 0, 0, 0].item<float>());
    }
}
