using OneBit.Runtime.Frames;

namespace OneBit.App
{
    /// <summary>Tunables of <see cref="DeviceApp"/>; the defaults are the device's.</summary>
    public sealed class AppOptions
    {
        /// <summary>Heap the model may take: parameters, conv tables and the runner's buffers (the app's own frame, input
        /// and SPI buffers come on top). Above it the app refuses to start, with the numbers. The default suits an
        /// ESP32-WROVER with PSRAM; without PSRAM use what the heap has left for the model.</summary>
        public long MemoryBudgetBytes = Runtime.Execution.DeviceMemoryPlan.PsramBudgetBytes;
        /// <summary>Use the whole-frame runner when it fits <see cref="MemoryBudgetBytes"/> (no per-row stepping);
        /// false: always stream rows (the least memory).</summary>
        public bool WholeFrameWhenItFits = true;
        /// <summary>Where the app looks for the firmware's native kernels (DeviceKernelChoice): the interop assembly and its
        /// FirmwareKernelSet type. Not found, or the firmware without their library: the tuned C# kernels.</summary>
        public string NativeAssembly = Runtime.Kernels.Firmware.DeviceKernelChoice.NativeAssembly;
        public string NativeKernelSetType = Runtime.Kernels.Firmware.DeviceKernelChoice.NativeKernelSetType;
        /// <summary>Bytes of the model blob read at a time while parsing (one page is in RAM at once).</summary>
        public int BlobPageBytes = 1024;
        public ResizeMode Resize = ResizeMode.Area;
        public bool CenterCrop = true;
        /// <summary>First wait after a camera fault; doubles per consecutive fault up to <see cref="MaxRetryDelayMs"/>.</summary>
        public int RetryDelayMs = 100;
        public int MaxRetryDelayMs = 2000;
        /// <summary>After this many consecutive faults the app calls Recover() on a recoverable source.</summary>
        public int RecoverAfterFaults = 3;
        /// <summary>LED on while the top class is this one; −1: the LED shows activity (on while a frame is processed).</summary>
        public int LedClass = -1;
        /// <summary>Report one classified frame in this many (faults are always reported).</summary>
        public int ReportEvery = 1;
    }
}
