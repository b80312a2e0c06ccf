using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// A named set of kernels for every layer kind: <c>reference</c> (the contract's plain loops), <c>tuned</c> (for
    /// the nanoCLR interpreter), on the host <c>host</c> and <c>host-scalar</c> (host-tools/OneBit.HostKernels) and
    /// <c>native</c> (the C of native/onebit_kernels, host-tools/OneBit.NativeKernels), and on the device <c>native</c>
    /// too (the same C in the firmware, device/OneBit.Native: a <see cref="Firmware.FirmwareKernelSet"/>), which on
    /// firmware without its library gives way to <c>tuned</c> (<see cref="Firmware.DeviceKernelChoice"/>). This is the only way
    /// kernels are chosen: the caller picks a set once, the set makes a network's <see cref="LayerKernels"/> (with
    /// whatever per-network state its kernels need), and both runners call only those. Every set reproduces the
    /// reference set bit for bit (CONTRACT.md §3–§6).
    /// </summary>
    public abstract class KernelSet
    {
        /// <summary>The name `--kernel` and the device's start-up line use.</summary>
        public abstract string Name { get; }

        /// <summary>The kernels of <paramref name="network"/> for one runner (one thread).</summary>
        /// <param name="rowsOnly">For the streaming runner, which calls one row at a time: per-network tables are sized
        /// for rows (the tuned stem keeps no ring of group sums).</param>
        /// <param name="takeOverWeights">The kernels may take over the conv weights, dropping the blob-layout copies
        /// from the network (Network.ParameterBytes shrinks by <see cref="ReleasedParameterBytes"/>); the network then
        /// runs only through these kernels. What the device does on a small heap.</param>
        public abstract LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights);

        /// <summary>True when the set's kernels have the residual over 16-bit stream rings
        /// (<see cref="LayerKernels.HasInt16Stream"/>).</summary>
        public virtual bool HasInt16Stream { get { return false; } }

        /// <summary>Heap bytes (array payloads) that <see cref="For"/> allocates for the network; 0 for a set that does
        /// not account for its state (the host sets, which the device memory plan never uses).</summary>
        public virtual long StateBytes(Network network, bool rowsOnly)
        {
            return 0;
        }

        /// <summary>Bytes of Network.ParameterBytes that <see cref="For"/> releases when it takes over the weights.</summary>
        public virtual long ReleasedParameterBytes(Network network)
        {
            return 0;
        }
    }
}
