using System;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Firmware
{
    /// <summary>
    /// The <c>native</c> set on the device: the C kernels of native/onebit_kernels compiled into a nanoCLR firmware and
    /// reached through the interop assembly OneBit.Native (device/OneBit.Native), whose <c>NativeKernelSet</c> derives from
    /// this class. The apps never reference that assembly: <see cref="DeviceKernelChoice"/> loads it by name and asks
    /// <see cref="Probe"/> whether the firmware carries its library, so stock firmware (or a firmware that rejected the
    /// assembly for its native checksum) keeps the tuned C# kernels. The C kernels read the blob-layout weights and
    /// keep no tables, so the device heap with them is the parameters plus the runner's buffers.
    /// </summary>
    public abstract class FirmwareKernelSet : KernelSet
    {
        /// <summary>The set's name, as the host's C kernels through P/Invoke (the same C source).</summary>
        public const string KernelName = "native";

        /// <summary>The figures of the set without its assembly, for the memory plan of `onebit inspect` and the tests:
        /// choosing its kernels throws <see cref="NotSupportedException"/>.</summary>
        public static readonly FirmwareKernelSet Figures = new FiguresOnly();

        public override string Name { get { return KernelName; } }

        public override bool HasInt16Stream { get { return true; } }

        /// <summary>No tables: the C kernels work on the network's own arrays.</summary>
        public sealed override long StateBytes(Network network, bool rowsOnly)
        {
            return 0;
        }

        /// <summary>Nothing: the C kernels read the conv weights in the blob's layout.</summary>
        public sealed override long ReleasedParameterBytes(Network network)
        {
            return 0;
        }

        /// <summary>
        /// One call into the firmware: null when its library answers as this assembly expects, else why the set must
        /// not be used. On firmware without the library nanoCLR throws <see cref="NotSupportedException"/> (an extern
        /// method without native code), which <see cref="DeviceKernelChoice"/> turns into the tuned set.
        /// </summary>
        public abstract string Probe();

        /// <summary>The firmware's copy of <see cref="FramePreprocessor.Process"/> over <paramref name="geometry"/>'s windows
        /// (native/onebit_kernels/src/frame.c); <see cref="DeviceKernelChoice.Preprocessor"/> checks it against the C#
        /// before the app uses it.</summary>
        public abstract IFramePreprocessor Preprocessor(FramePreprocessor geometry);

        /// <summary>What the set runs on, for the start-up line ("OneBit.Native 1.0.0.0, C kernels with SWAR popcount").</summary>
        public abstract string Description { get; }

        private sealed class FiguresOnly : FirmwareKernelSet
        {
            public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights)
            {
                throw new NotSupportedException("the native kernels run only on a nanoCLR firmware with OneBit.Native (DeviceKernelChoice)");
            }

            public override string Probe()
            {
                return "figures only: no firmware was asked";
            }

            public override IFramePreprocessor Preprocessor(FramePreprocessor geometry)
            {
                throw new NotSupportedException("the native preprocessor runs only on a nanoCLR firmware with OneBit.Native (DeviceKernelChoice)");
            }

            public override string Description { get { return "figures only"; } }
        }
    }
}
