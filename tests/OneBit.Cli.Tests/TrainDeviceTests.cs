namespace OneBit.Cli.Tests;

/// <summary>`onebit train --device`: refused as a user error (exit code 2, "error: …") before any data is read.</summary>
public class TrainDeviceTests
{
    [Fact]
    public void CudaIsRefusedOnThisCpuBuildBeforeTheDatasetIsRead()
    {
        string dir = Path.Combine(Path.GetTempPath(), "onebit-train-device-" + Guid.NewGuid().ToString("N"));
        // --data names no dataset: a refusal that mentions CUDA, not the data, shows the device was checked first.
        var r = Cli.Run(null, "train", "--device", "cuda", "--dataset", "cifar10", "--data", Path.Combine(dir, "missing"), "--output", Path.Combine(dir, "out"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --device cuda:0: CUDA is not available (torch.cuda.is_available() is false): this trainer was built with the CPU-only libtorch package TorchSharp-cpu.", r.Out);
        Assert.Contains("-p:OneBitTorchBackend=cuda` references TorchSharp-cuda-linux", r.Out);
        Assert.DoesNotContain("missing", r.Out);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void ABadDeviceValueIsAUserError()
    {
        var r = Cli.Run(null, "train", "--device", "gpu:0");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --device 'gpu:0': expected cpu, cuda or cuda:N (N = 0, 1, …)\n", r.Out);
    }
}
