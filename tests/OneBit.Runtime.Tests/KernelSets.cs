using OneBit.HostKernels;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;

namespace OneBit.Runtime.Tests;

/// <summary>Every kernel set the runners can be given (what `--kernel` offers), for the bit-exactness tests.</summary>
public static class KernelSets
{
    public static KernelSet[] All() => new KernelSet[] { ReferenceKernelSet.Instance, TunedKernelSet.Instance, HostKernelSet.Host, HostKernelSet.Scalar };

    /// <summary>The sets with the 16-bit stream residual.</summary>
    public static KernelSet[] WithInt16Stream() => All().Where(s => s.HasInt16Stream).ToArray();
}
