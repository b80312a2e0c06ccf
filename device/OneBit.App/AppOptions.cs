using OneBit.Runtime.Frames;

namespace OneBit.App
{
    /// <summary>Tunables of <see cref="DeviceApp"/>; the defaults are the device's.</summary>
    public sealed class AppOptions
    {
        /// <summary>Parameters + streaming working memory the model may take (the StreamingRunner refuses to start,
        /// with the numbers, above it). 2 MB suits an ESP32-WROVER with PSRAM; use about 96 KB without PSRAM.</summary>
        public long MemoryBudgetBytes = 2L * 1024 * 1024;
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
