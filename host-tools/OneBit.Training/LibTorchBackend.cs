using System.Runtime.InteropServices;

namespace OneBit.Training;

/// <summary>
/// Keeps libtorch's convolutions exact on the machines we train on, by limiting oneDNN (libtorch's "mkldnn"
/// convolution backend, oneDNN 3.7 in TorchSharp-cpu 0.107.0) to SSE4.1, set through its documented
/// ONEDNN_MAX_CPU_ISA variable. Applied once per process, before the first convolution: by the trainer and by
/// <see cref="BinarizedConv2d"/>'s type initializer.
/// <para>
/// On our development and CI virtual machines (AMD EPYC with AVX-512) oneDNN's AVX, AVX2 and AVX-512 convolutions
/// use channel-blocked layouts and compute 3×3 convolutions wrongly when the output channel count is not a multiple
/// of the channel block (8 or 16): the input gradient always, the output too at some widths (24, 28, 56). With one
/// thread the wrong value is the same every run; with two, the split of the work decides which wrong value comes
/// out, so it looked like a threading race. Up to SSE4.1 oneDNN takes a blocked kernel only where the channels fill
/// whole blocks and its GEMM on plain layouts otherwise, and is exact at any thread count. Likely cause: these machines report no cache topology (CPUID leaf 0x8000001D is all
/// zero) while oneDNN sizes its blocking from the cache sizes; oneDNN issue #5313 reports the same silent corruption
/// of padded blocked layouts when the cache size it reads is zero. libtorch's own convolution (oneDNN off) is exact
/// too, but several times slower.
/// </para>
/// <para>
/// oneDNN reads the variable from the C environment once, when it first picks a kernel, so it is set with libc's
/// setenv (.NET's Environment.SetEnvironmentVariable does not reach native code on Linux), and only if the user has
/// not set it. Linux only: elsewhere libtorch keeps its defaults.
/// </para>
/// </summary>
public static class LibTorchBackend
{
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA", IsaLimit = "SSE41";

    static readonly bool Applied = Apply();

    /// <summary>Applies the limit once per process (later calls do nothing).</summary>
    public static void EnsureApplied() => _ = Applied;

    /// <summary>The ISA limit oneDNN will read (null if none is set).</summary>
    public static string? OneDnnIsaLimit => OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(IsaVariable)) : null;

    static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (setenv(IsaVariable, IsaLimit, 0) != 0) throw new InvalidOperationException($"setenv {IsaVariable} failed");
        return true;
    }

    [DllImport("libc")]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc")]
    static extern IntPtr getenv(string name);
}
