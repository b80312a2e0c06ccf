namespace OneBit.Runtime.Frames
{
    /// <summary>
    /// What turns each camera frame into the model's input: <see cref="FramePreprocessor"/> itself (C#), or the firmware's
    /// C copy of it (native/onebit_kernels/src/frame.c through OneBit.Native) over the same sampling windows. The device
    /// gets it from <c>DeviceKernelChoice.Preprocessor</c>, so it runs the C preprocessor exactly when it runs the C kernels.
    /// </summary>
    public interface IFramePreprocessor
    {
        /// <summary>"C#" or "native", for the start-up line.</summary>
        string Name { get; }

        /// <summary><see cref="FramePreprocessor.Process"/>'s contract, bit for bit: frame (SourceBytes) into input
        /// (OutputBytes).</summary>
        void Process(byte[] frame, byte[] input);
    }
}
