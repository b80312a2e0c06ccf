using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Model;

namespace OneBit.Native
{
    /// <summary>
    /// The device's <c>native</c> set: the firmware's C kernels through <see cref="NativeLayers"/>. Created by
    /// <see cref="DeviceKernelChoice"/> through reflection (public parameterless constructor), which then calls
    /// <see cref="Probe"/>: stock firmware throws NotSupportedException there, a firmware built from other glue
    /// answers another interop version, and either way the device keeps the tuned C# kernels.
    /// </summary>
    public sealed class NativeKernelSet : FirmwareKernelSet
    {
        /// <summary>ONEBIT_INTEROP_VERSION in native/onebit_interop/onebit_interop.h: raise both when the meaning of an
        /// entry point changes without its signature (the native checksum covers names and signatures only).</summary>
        public const int InteropVersion = 1;

        private static readonly NativeLayerKernels Kernels = new NativeLayerKernels();

        public override LayerKernels For(Network network, bool rowsOnly, bool takeOverWeights)
        {
            return Kernels;
        }

        public override IFramePreprocessor Preprocessor(FramePreprocessor geometry)
        {
            return new NativeFramePreprocessor(geometry);
        }

        public override string Probe()
        {
            int version = NativeLayers.InteropVersion();
            if (version == InteropVersion) return null;
            return "the firmware's OneBit.Native library is interop version " + version.ToString() + ", this assembly expects " +
                InteropVersion.ToString() + ": build the firmware and the app from the same sources";
        }

        public override string Description
        {
            get { return "the firmware carries OneBit.Native, interop version " + InteropVersion.ToString() + ": C kernels"; }
        }
    }
}
