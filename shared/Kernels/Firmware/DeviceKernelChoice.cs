using System;
using System.Reflection;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Tuned;

namespace OneBit.Runtime.Kernels.Firmware
{
    /// <summary>
    /// Which kernels the device runs, decided once at start-up: the firmware's native set when the interop assembly
    /// OneBit.Native is deployed and its library answers the probe, else the tuned C# set, with the reason either way;
    /// and the frame preprocessor that goes with them (<see cref="Preprocessor"/>).
    /// The apps reach the assembly only by name (reflection), never by a reference: nanoCLR rejects an interop
    /// assembly whose native checksum differs from the firmware's table (CLR_E_ASSM_WRONG_CHECKSUM), and an app that
    /// referenced it would then not load at all. Never throws: every failure gives the tuned set.
    /// </summary>
    public sealed class DeviceKernelChoice
    {
        /// <summary>The interop assembly (device/OneBit.Native) and its set.</summary>
        public const string NativeAssembly = "OneBit.Native";
        public const string NativeKernelSetType = "OneBit.Native.NativeKernelSet";

        private DeviceKernelChoice(KernelSet kernels, string reason)
        {
            Kernels = kernels;
            Reason = reason;
        }

        /// <summary>The chosen set: a <see cref="FirmwareKernelSet"/>, or <see cref="TunedKernelSet"/>.</summary>
        public KernelSet Kernels { get; private set; }

        /// <summary>Why, for the start-up line.</summary>
        public string Reason { get; private set; }

        public bool Native { get { return Kernels is FirmwareKernelSet; } }

        /// <summary>Why <see cref="Preprocessor"/> kept the C# preprocessor beside the native kernels; null otherwise.</summary>
        public string PreprocessorNote { get; private set; }

        /// <summary>
        /// The preprocessor for the chosen kernels: the firmware's C copy with the native set, <paramref name="geometry"/>
        /// itself (C#) with the tuned set. The C copy is taken only after it gave the C#'s bytes on one test frame, so a
        /// firmware built from other sources, or glue that refuses the windows, leaves the app on the C# preprocessor
        /// (<see cref="PreprocessorNote"/> says why) instead of classifying other pixels. <paramref name="frame"/> and
        /// <paramref name="input"/> are the app's frame and model-input buffers, used as scratch. Never throws.
        /// </summary>
        public IFramePreprocessor Preprocessor(FramePreprocessor geometry, byte[] frame, byte[] input)
        {
            PreprocessorNote = null;
            FirmwareKernelSet firmware = Kernels as FirmwareKernelSet;
            if (firmware == null) return geometry;
            try
            {
                IFramePreprocessor native = firmware.Preprocessor(geometry);
                int sourceBytes = geometry.SourceBytes;
                int outputBytes = geometry.OutputBytes;
                for (int i = 0; i < sourceBytes; i++) frame[i] = (byte)(i * 37 + (i >> 7));
                geometry.Process(frame, input);
                uint expected = Crc32.Compute(input, 0, outputBytes);
                // a preprocessor that writes nothing must not pass on the C#'s bytes
                for (int i = 0; i < outputBytes; i++) input[i] = (byte)~input[i];
                native.Process(frame, input);
                if (Crc32.Compute(input, 0, outputBytes) == expected) return native;
                PreprocessorNote = "the native preprocessor gave other bytes than the C# on a test frame";
            }
            catch (Exception e)
            {
                PreprocessorNote = "the native preprocessor failed: " + e.GetType().Name + ": " + e.Message;
            }
            return geometry;
        }

        /// <summary>The device's choice: OneBit.Native's set if the firmware carries its library.</summary>
        public static DeviceKernelChoice Probe()
        {
            return Probe(NativeAssembly, NativeKernelSetType);
        }

        /// <summary>The choice for a given interop assembly and set type (a public parameterless constructor, derived
        /// from <see cref="FirmwareKernelSet"/>).</summary>
        public static DeviceKernelChoice Probe(string assemblyName, string typeName)
        {
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(assemblyName);
            }
            catch (Exception)
            {
                assembly = null;
            }
            if (assembly == null)
            {
                return Tuned(assemblyName + " is not loaded (not deployed, or the firmware rejected it: see the native-checksum message at boot)");
            }
            FirmwareKernelSet set;
            try
            {
                Type type = assembly.GetType(typeName);
                if (type == null) return Tuned(assemblyName + " has no type " + typeName);
                ConstructorInfo ctor = type.GetConstructor(new Type[0]);
                if (ctor == null) return Tuned(typeName + " has no public parameterless constructor");
                set = ctor.Invoke(new object[0]) as FirmwareKernelSet;
                if (set == null) return Tuned(typeName + " is not a FirmwareKernelSet");
            }
            catch (Exception e)
            {
                return Tuned(assemblyName + " could not be used: " + e.Message);
            }
            string problem;
            try
            {
                problem = set.Probe();
            }
            catch (NotSupportedException)
            {
                return Tuned("the firmware has no native code for " + assemblyName + " (stock nanoCLR)");
            }
            catch (Exception e)
            {
                return Tuned(assemblyName + " probe failed: " + e.GetType().Name + ": " + e.Message);
            }
            if (problem != null) return Tuned(problem);
            return new DeviceKernelChoice(set, set.Description);
        }

        /// <summary>After the native set failed the blob's self-test: the tuned set, with that failure as the reason.</summary>
        public static DeviceKernelChoice AfterFailedSelfTest(string failure)
        {
            return Tuned("the native kernels failed the self-test (" + failure + ")");
        }

        private static DeviceKernelChoice Tuned(string reason)
        {
            return new DeviceKernelChoice(TunedKernelSet.Instance, "C# kernels: " + reason);
        }
    }
}
