using System.Reflection;
using TorchSharp;

namespace OneBit.Training;

/// <summary>
/// Where a run's tensors live: the CPU (default) or CUDA device N through TorchSharp's CUDA backend. A setting of the
/// machine, not of the run: checkpoints hold CPU arrays and no device (<see cref="Checkpoint"/>), so a run written on
/// one device resumes on another. Which libtorch the trainer loads is fixed at build time by the MSBuild property
/// <see cref="BuildProperty"/> (OneBit.Training.csproj); the CPU package cannot run CUDA.
/// </summary>
public readonly record struct TrainingDevice
{
    /// <summary>The MSBuild property that selects the libtorch package: "cpu" (default) or "cuda".</summary>
    public const string BuildProperty = "OneBitTorchBackend";
    /// <summary>The CUDA build's package (libtorch 2.10.0 with CUDA 12.8), in the version of the CPU one.</summary>
    public const string CudaPackage = "TorchSharp-cuda-linux";
    public const string CudaPackageWindows = "TorchSharp-cuda-windows";

    public static readonly TrainingDevice Cpu = new(false, 0);

    public bool IsCuda { get; }
    /// <summary>CUDA device ordinal (0 for plain "cuda"); 0 for the CPU.</summary>
    public int Index { get; }

    TrainingDevice(bool cuda, int index) { IsCuda = cuda; Index = index; }

    public static TrainingDevice Cuda(int index) =>
        index >= 0 ? new(true, index) : throw new ArgumentOutOfRangeException(nameof(index), "CUDA device index must be ≥ 0");

    /// <summary>"cpu", "cuda" or "cuda:N" (N ≥ 0), case-insensitive, as PyTorch spells devices.</summary>
    public static TrainingDevice Parse(string text)
    {
        string s = text.Trim().ToLowerInvariant();
        if (s == "cpu") return Cpu;
        if (s == "cuda") return Cuda(0);
        if (s.StartsWith("cuda:", StringComparison.Ordinal) && s.Length > 5 && s[5..].All(char.IsAsciiDigit)
            && int.TryParse(s[5..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            return Cuda(n);
        throw new ArgumentException($"--device '{text}': expected cpu, cuda or cuda:N (N = 0, 1, …)");
    }

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";

    public torch.Device Torch => IsCuda ? new torch.Device(DeviceType.CUDA, Index) : torch.CPU;

    /// <summary>The value of <see cref="BuildProperty"/> this assembly was built with.</summary>
    public static string BuildBackend =>
        typeof(TrainingDevice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == BuildProperty)?.Value ?? "cpu";

    /// <summary>Throws <see cref="DeviceUnavailableException"/> unless this process can put tensors on the device.</summary>
    public void EnsureAvailable() => EnsureAvailable(torch.cuda.is_available, torch.cuda.device_count);

    /// <summary>The check with libtorch's answers passed in (tests give the answers of a machine with a GPU).</summary>
    public void EnsureAvailable(Func<bool> cudaAvailable, Func<int> cudaDeviceCount)
    {
        if (!IsCuda) return;
        if (!cudaAvailable())
        {
            string why = BuildBackend == "cuda"
                ? $"this trainer was built with the CUDA libtorch ({BuildProperty}=cuda), but libtorch finds no usable GPU " +
                  "(is an NVIDIA driver for CUDA 12.8 installed and the GPU visible, e.g. in nvidia-smi?)"
                : $"this trainer was built with the CPU-only libtorch package TorchSharp-cpu. Build it with the CUDA one: " +
                  $"`dotnet build host-tools/OneBit.Cli -c Release -p:{BuildProperty}=cuda` references {CudaPackage} " +
                  $"({CudaPackageWindows} on Windows) instead, and needs a GPU with an NVIDIA driver for CUDA 12.8";
            throw new DeviceUnavailableException($"--device {this}: CUDA is not available (torch.cuda.is_available() is false): {why}; or train with --device cpu.");
        }
        int count = cudaDeviceCount();
        if (Index >= count)
            throw new DeviceUnavailableException($"--device {this}: libtorch sees {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0{(count > 1 ? $" … cuda:{count - 1}" : "")}).");
    }
}

/// <summary>The requested device cannot be used by this build on this machine (a user error: rebuild or choose another).</summary>
public sealed class DeviceUnavailableException(string message) : NotSupportedException(message);
