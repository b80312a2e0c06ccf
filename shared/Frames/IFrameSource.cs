namespace OneBit.Runtime.Frames
{
    /// <summary>
    /// Where frames come from: a camera driver, a recording, a synthetic pattern. The hardware edge of the app.
    /// Width, Height and Format are fixed for the lifetime of the source (set up before the first capture).
    /// </summary>
    public interface IFrameSource
    {
        int Width { get; }
        int Height { get; }
        PixelFormat Format { get; }
        /// <summary>Width × Height × bytes per pixel.</summary>
        int FrameBytes { get; }

        /// <summary>
        /// Captures one frame into <paramref name="buffer"/> (owned by the caller, at least FrameBytes long; the
        /// source writes bytes 0 … FrameBytes−1 and keeps no reference after returning). Must not allocate.
        /// Throws <see cref="FrameSourceException"/> when the device fails (the caller may retry) and
        /// <see cref="BadFrameException"/> when a frame arrived but is unusable (the caller should skip it).
        /// </summary>
        void Capture(byte[] buffer);
    }

    /// <summary>A source that can try to bring itself back after faults (e.g. re-run a camera's init sequence).</summary>
    public interface IRecoverableFrameSource : IFrameSource
    {
        /// <summary>Re-initializes the device; throws <see cref="FrameSourceException"/> if that fails too.</summary>
        void Recover();
    }
}
