using System.Diagnostics;
using System.Text.Json;
using OneBit.ModelExport;
using OneBit.Paths;
using TorchSharp;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>`--device`: parsing, the refusal of CUDA by the CPU build CI runs, checkpoints that do not depend on the
/// device, and the build property that picks the libtorch package. Nothing here runs on a GPU: these machines have none.</summary>
public class DeviceTests
{
    static TrainOptions Tiny(string dir, int epochs) => TrainerTests.Tiny(dir, epochs);

    [Theory]
    [InlineData("cpu", false, 0, "cpu")]
    [InlineData("cuda", true, 0, "cuda:0")]
    [InlineData("cuda:0", true, 0, "cuda:0")]
    [InlineData("cuda:1", true, 1, "cuda:1")]
    [InlineData(" CUDA:12 ", true, 12, "cuda:12")]
    public void DeviceOptionParsesCpuCudaAndCudaN(string text, bool cuda, int index, string canonical)
    {
        var d = TrainingDevice.Parse(text);
        Assert.Equal((cuda, index, canonical), (d.IsCuda, d.Index, d.ToString()));
        Assert.Equal(cuda ? DeviceType.CUDA : DeviceType.CPU, d.Torch.type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:+1")]
    [InlineData("cuda:x")]
    [InlineData("cuda1")]
    [InlineData("cuda:1:2")]
    [InlineData("cpu:0")]
    [InlineData("cuda:99999999999")]
    public void BadDeviceValuesAreRejectedNamingTheValueAndTheChoices(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingDevice.Parse(text));
        Assert.Equal($"--device '{text}': expected cpu, cuda or cuda:N (N = 0, 1, …)", e.Message);
    }

    [Fact]
    public void TheDefaultDeviceIsTheCpu()
    {
        Assert.Equal(TrainingDevice.Cpu, new TrainOptions().Device);
        Assert.Equal(TrainingDevice.Cpu, default(TrainingDevice));   // what a checkpoint's options deserialize to
        Assert.False(TrainingDevice.Cpu.IsCuda);
    }

    [Fact]
    public void CudaIsRefusedByTheCpuBuildNamingTheBuildPropertyAndThePackage()
    {
        Assert.Equal("cpu", TrainingDevice.BuildBackend);
        Assert.False(torch.cuda.is_available(), "the tests run the CPU build (TorchSharp-cpu), which has no CUDA");

        var set = Synthetic.Images(perClass: 2, classes: 2);
        var data = new DatasetSplits("synthetic", set, set, null);
        string root = Synthetic.TempDir(), dir = Path.Combine(root, "out");
        try
        {
            var e = Assert.Throws<DeviceUnavailableException>(() => new Trainer(Tiny(dir, 1) with { Device = TrainingDevice.Parse("cuda") }, data));
            Assert.Equal(
                "--device cuda:0: CUDA is not available (torch.cuda.is_available() is false): this trainer was built with the CPU-only " +
                "libtorch package TorchSharp-cpu. Build it with the CUDA one: `dotnet build host-tools/OneBit.Cli -c Release " +
                "-p:OneBitTorchBackend=cuda` references TorchSharp-cuda-linux (TorchSharp-cuda-windows on Windows) instead, and needs " +
                "a GPU with an NVIDIA driver for CUDA 12.8; or train with --device cpu.", e.Message);
            // A user error in UserErrors' terms: `onebit train` ends with "error: …" and exit code 2 (TrainDeviceTests in
            // tests/OneBit.Cli.Tests runs it).
            Assert.IsAssignableFrom<NotSupportedException>(e);
            Assert.False(Directory.Exists(dir), "refused before anything was written");
            Assert.Throws<DeviceUnavailableException>(() => new Trainer(Tiny(dir, 1) with { Device = TrainingDevice.Parse("cuda:1") }, data));
            new Trainer(Tiny(dir, 1) with { Device = TrainingDevice.Parse("cpu") }, data);   // the CPU is accepted
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ADeviceIndexBeyondTheGpusIsRefusedAndTheCpuNeverAsksLibtorch()
    {
        var e = Assert.Throws<DeviceUnavailableException>(() => TrainingDevice.Parse("cuda:2").EnsureAvailable(() => true, () => 2));
        Assert.Equal("--device cuda:2: libtorch sees 2 CUDA devices (cuda:0 … cuda:1).", e.Message);
        e = Assert.Throws<DeviceUnavailableException>(() => TrainingDevice.Parse("cuda:1").EnsureAvailable(() => true, () => 1));
        Assert.Equal("--device cuda:1: libtorch sees 1 CUDA device (cuda:0).", e.Message);
        TrainingDevice.Parse("cuda:1").EnsureAvailable(() => true, () => 2);
        int asked = 0;
        TrainingDevice.Cpu.EnsureAvailable(() => { asked++; return false; }, () => { asked++; return 0; });
        Assert.Equal(0, asked);
    }

    /// <summary>What a CPU-only machine can show of "written on one device, resumed on another": the checkpoint records
    /// no device, and a run written with `--device cpu` resumes with the device left at its default through the same
    /// restore code the CUDA case runs (arrays → tensors on the run's device), giving the weights of an uninterrupted
    /// run bit for bit. Not shown here: an actual copy to or from GPU memory.</summary>
    [Fact]
    public void ACheckpointWrittenWithDeviceCpuResumesWithTheDeviceLeftAtDefault()
    {
        var set = Synthetic.Images(perClass: 4, classes: 3, seed: 3);
        var (train, val) = set.SplitLastPerClass(1);
        var data = new DatasetSplits("synthetic", train, val, null);
        string a = Synthetic.TempDir(), b = Synthetic.TempDir();
        try
        {
            var full = new Trainer(Tiny(a, 2), data).Run();
            var first = new Trainer(Tiny(b, 2) with { Device = TrainingDevice.Parse("cpu") }, data).Run(stopAfterEpochs: 1);
            Assert.False(first.Completed);

            string file = Path.Combine(b, Checkpoint.FileName);
            string header = CheckpointHeader(file);
            Assert.Contains("\"Threads\": 1", header);   // the header is the options' JSON …
            Assert.DoesNotContain("device", header, StringComparison.OrdinalIgnoreCase);   // … without a device
            Assert.DoesNotContain("cpu", header, StringComparison.OrdinalIgnoreCase);

            var ck = Checkpoint.Load(b);
            Assert.Equal(1, ck.EpochsDone);
            var resumeOptions = new TrainOptions { OutputDirectory = b, Epochs = 2, Threads = 1 };   // --device not given
            var resumed = new Trainer(resumeOptions, data, resume: ck).Run();
            Assert.True(resumed.Completed);

            var ma = ModelExportReader.Read(full.ExportPath!);
            var mb = ModelExportReader.Read(resumed.ExportPath!);
            Assert.Equal(ma.Tensors.Select(t => t.Name), mb.Tensors.Select(t => t.Name));
            for (int i = 0; i < ma.Tensors.Count; i++) Assert.Equal(ma.Tensors[i].Data, mb.Tensors[i].Data);
            Assert.Equal(full.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
            Assert.Equal("cpu", mb.Training["device"]);
        }
        finally { Directory.Delete(a, true); Directory.Delete(b, true); }
    }

    /// <summary>The JSON header of a checkpoint file (format in <see cref="Checkpoint"/>).</summary>
    static string CheckpointHeader(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        r.ReadBytes(4); r.ReadInt32();
        string json = System.Text.Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));
        using var _ = JsonDocument.Parse(json);
        return json;
    }

    [Fact]
    public void TheBuildPropertyPicksTheLibtorchPackageAndDefaultsToTorchSharpCpu()
    {
        Assert.Equal(new[] { "TorchSharp-cpu 0.107.0" }, TorchPackages(null));
        Assert.Equal(new[] { "TorchSharp-cpu 0.107.0" }, TorchPackages("cpu"));
        Assert.Equal(new[] { (OperatingSystem.IsWindows() ? "TorchSharp-cuda-windows" : "TorchSharp-cuda-linux") + " 0.107.0" }, TorchPackages("cuda"));
    }

    /// <summary>The TorchSharp package references of OneBit.Training.csproj as MSBuild evaluates it (no restore).</summary>
    static string[] TorchPackages(string? backend)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "msbuild", Path.Combine(RepositoryPaths.Root, "host-tools", "OneBit.Training", "OneBit.Training.csproj"), "-nologo", "-getItem:PackageReference" })
            psi.ArgumentList.Add(arg);
        if (backend is not null) psi.ArgumentList.Add("-p:" + TrainingDevice.BuildProperty + "=" + backend);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "dotnet msbuild did not finish in 120 s");
        Assert.True(p.ExitCode == 0, $"dotnet msbuild exit {p.ExitCode}: {output} {err.Result}");
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => (Id: i.GetProperty("Identity").GetString()!, Version: i.GetProperty("Version").GetString()!))
            .Where(i => i.Id.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase))
            .Select(i => i.Id + " " + i.Version).ToArray();
    }
}
