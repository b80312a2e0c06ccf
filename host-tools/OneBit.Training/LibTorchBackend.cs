using System.Runtime.InteropServices;

namespace OneBit.Training;

/// <summary>
/// Keeps libtorch's convolutions exact on the machines we train on by limiting oneDNN (libtorch's "mkldnn"
/// convolution backend, oneDNN 3.7 in TorchSharp-cpu 0.107.0) to SSE4.1 where its wider kernels are wrong, set through
/// its documented ONEDNN_MAX_CPU_ISA variable, once per process, before the first convolution.
/// <para>
/// On our development and CI virtual machines (AMD EPYC with AVX-512) oneDNN's AVX, AVX2 and AVX-512 convolutions
/// use channel-blocked layouts and compute 3×3 convolutions wrongly when the output channel count is not a multiple
/// of the channel block (8 or 16): the input gradient always, the output too at some widths (24, 28, 56). With one
/// thread the wrong value is the same every run; with two, the split of the work decides which wrong value comes
/// out, so it looked like a threading race. Up to SSE4.1 oneDNN takes a blocked kernel only where the channels fill
/// whole blocks and its GEMM on plain layouts otherwise, and is exact at any thread count. Likely cause: these machines
/// report no cache topology (CPUID leaf 0x8000001D is all zero) while oneDNN sizes its blocking from the cache sizes;
/// oneDNN issue #5313 reports the same silent corruption of padded blocked layouts when the cache size it reads is
/// zero. libtorch's own convolution (oneDNN off) is exact too, but several times slower.
/// </para>
/// <para>
/// The limit costs about 3.8× in training speed (CIFAR-10, depth 20, width 1, two threads: 132 against 500 images/s),
/// so the trainer asks for it only when a network needs it (<see cref="IsaLimitFor"/>): when a stage width is not a
/// multiple of 16. Where every width is, oneDNN's output and both gradients matched double-precision loops with
/// every ISA at all the shapes of our networks (3×3 stride 1 and 2 at 16/32/64 channels, the 3-channel stem, the 1×1
/// heads with 10 outputs), batch 8, two threads, while the same probe reproduced the errors at 14 and 24 channels.
/// Everything else (the tests, any convolution run before the trainer chose) keeps the limit.
/// </para>
/// <para>
/// oneDNN reads the variable from the C environment once, when it first picks a kernel, so it is set with libc's
/// setenv (.NET's Environment.SetEnvironmentVariable does not reach native code on Linux), and never over a value the
/// user has set. Linux only: elsewhere libtorch keeps its defaults.
/// </para>
/// </summary>
public static class LibTorchBackend
{
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA", IsaLimit = "SSE41";
    /// <summary>oneDNN's widest channel block (AVX-512: 16 float32 lanes).</summary>
    public const int ChannelBlock = 16;

    static readonly object Gate = new();
    /// <summary>The limit this process chose: IsaLimit, "" for none, null before the first choice.</summary>
    static string? _chosen;

    /// <summary>The ISA limit a network needs: <see cref="IsaLimit"/> when a stage width is not a multiple of
    /// <see cref="ChannelBlock"/>, else null.</summary>
    public static string? IsaLimitFor(NetworkConfig network) =>
        network.StageChannels.Any(c => c % ChannelBlock != 0) ? IsaLimit : null;

    /// <summary>Applies the limit unless this process already chose (the conservative default for any convolution
    /// that runs before <see cref="ChooseFor"/>).</summary>
    public static void EnsureApplied() => Choose(IsaLimit);

    /// <summary>Chooses oneDNN's ISA for training this network and says what is in force. A process that already
    /// chose the limit keeps it (slower, still exact); one that runs unlimited cannot take a network that needs the
    /// limit, since oneDNN has read the variable by then.</summary>
    public static string ChooseFor(NetworkConfig network)
    {
        string? need = IsaLimitFor(network);
        string chosen = Choose(need);
        if (need is not null && chosen != need)
            throw new InvalidOperationException($"this process already runs oneDNN without the {IsaLimit} limit, which a stage width " +
                $"of {string.Join("/", network.StageChannels)} needs (not a multiple of {ChannelBlock}); train it in a new process");
        string? inForce = OneDnnIsaLimit;
        string widths = string.Join("/", network.StageChannels);
        if (inForce is null) return $"oneDNN: every instruction set (stage widths {widths})";
        if (inForce != need && chosen == "") return $"oneDNN: {IsaVariable}={inForce} from the environment";
        return $"oneDNN: limited to {inForce}" + (need is not null
            ? $" (a stage width of {widths} is not a multiple of {ChannelBlock}: its wider kernels are wrong there)"
            : " (chosen earlier in this process)");
    }

    /// <summary>The ISA limit oneDNN will read (null if none is set).</summary>
    public static string? OneDnnIsaLimit => OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(getenv(IsaVariable)) : null;

    static string Choose(string? limit)
    {
        lock (Gate)
        {
            if (_chosen is not null) return _chosen;
            _chosen = limit ?? "";
            if (limit is not null && OperatingSystem.IsLinux() && setenv(IsaVariable, limit, 0) != 0)
                throw new InvalidOperationException($"setenv {IsaVariable} failed");
            return _chosen;
        }
    }

    [DllImport("libc")]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc")]
    static extern IntPtr getenv(string name);
}
