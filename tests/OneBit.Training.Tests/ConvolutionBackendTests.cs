using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>
/// libtorch's convolution, as the trainer configures it (<see cref="LibTorchBackend"/>, in force for this whole
/// test process through <see cref="TestProcess"/>), against loop references for the output and both gradients, with
/// two intra-op threads (CI's core count) and output channel counts that are not multiples of a SIMD channel block:
/// the shapes where oneDNN's blocked kernels were wrong on our machines.
/// </summary>
public class ConvolutionBackendTests
{
    [Theory]
    [InlineData(2, 4, 3, 5)]   // BinarizedConvTests.ExactPathHasTheGradientsOfTheFloatConv's shape
    [InlineData(2, 24, 24, 6)] // oneDNN got even the forward output wrong here
    [InlineData(2, 14, 14, 6)] // a stage of the committed base-14 model
    public void ConvolutionAndItsGradientsMatchLoopsWithTwoThreads(int batch, int cin, int cout, int size)
    {
        LibTorchBackend.EnsureApplied();
        if (OperatingSystem.IsLinux()) Assert.NotNull(LibTorchBackend.OneDnnIsaLimit);
        int threads = torch.get_num_threads();
        torch.set_num_threads(2);
        try
        {
            for (int rep = 0; rep < 8; rep++)
            {
                using var _ = NewDisposeScope();
                torch.manual_seed(20 + rep);
                var w = randn(cout, cin, 3, 3).requires_grad_(true);
                var x = randn(batch, cin, size, size).requires_grad_(true);
                var g = randn(batch, cout, size, size);
                var y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });
                (y * g).sum().backward();
                var (yRef, dxRef, dwRef) = LoopConv(x.detach().data<float>().ToArray(), w.detach().data<float>().ToArray(),
                    g.data<float>().ToArray(), batch, cin, cout, size);
                AssertClose(yRef, y.detach().data<float>().ToArray(), "output", rep);
                AssertClose(dxRef, x.grad!.data<float>().ToArray(), "input gradient", rep);
                AssertClose(dwRef, w.grad!.data<float>().ToArray(), "weight gradient", rep);
            }
        }
        finally { torch.set_num_threads(threads); }
    }

    [Fact]
    public void OnlyNetworksWithAWidthOffTheChannelBlockNeedTheLimit()
    {
        Assert.Null(LibTorchBackend.IsaLimitFor(new NetworkConfig { Depth = 20, Width = 1 }));           // 16/32/64
        Assert.Null(LibTorchBackend.IsaLimitFor(new NetworkConfig { Depth = 8, Width = 2 }));            // 32/64/128
        Assert.Equal("SSE41", LibTorchBackend.IsaLimitFor(new NetworkConfig { Depth = 8, BaseChannels = 14 }));
        Assert.Equal("SSE41", LibTorchBackend.IsaLimitFor(new NetworkConfig { Depth = 8, BaseChannels = 12, Width = 2 })); // 24/48/96
    }

    [Fact]
    public void AProcessThatChoseTheLimitKeepsIt()
    {
        // The test process applied the limit before any convolution (TestProcess); a network that does not need it
        // still trains under it, and the trainer says so.
        if (!OperatingSystem.IsLinux()) return;
        string said = LibTorchBackend.ChooseFor(new NetworkConfig { Depth = 20, Width = 1 });
        Assert.Equal("SSE41", LibTorchBackend.OneDnnIsaLimit);
        Assert.StartsWith("oneDNN: limited to SSE41", said);
        Assert.StartsWith("oneDNN: limited to SSE41 (a stage width of 14/28/56",
            LibTorchBackend.ChooseFor(new NetworkConfig { Depth = 8, BaseChannels = 14 }));
    }

    /// <summary>y = conv(x, w) with 3×3 kernels, stride 1, zero padding 1, and ∂/∂x, ∂/∂w of Σ y·g, in double.</summary>
    static (double[] Y, double[] Dx, double[] Dw) LoopConv(float[] x, float[] w, float[] g, int n, int cin, int cout, int h)
    {
        var y = new double[n * cout * h * h];
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cout; o++)
                for (int oy = 0; oy < h; oy++)
                    for (int ox = 0; ox < h; ox++)
                    {
                        int yi = ((b * cout + o) * h + oy) * h + ox;
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                {
                                    int iy = oy - 1 + ky, ix = ox - 1 + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= h) continue;
                                    int xi = ((b * cin + c) * h + iy) * h + ix, wi = ((o * cin + c) * 3 + ky) * 3 + kx;
                                    y[yi] += (double)w[wi] * x[xi];
                                    dx[xi] += (double)w[wi] * g[yi];
                                    dw[wi] += (double)x[xi] * g[yi];
                                }
                    }
        return (y, dx, dw);
    }

    static void AssertClose(double[] expected, float[] actual, string what, int rep)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]),
                $"{what}[{i}] = {actual[i]}, loop reference {expected[i]:G9} (repetition {rep})");
    }
}
