using OneBit.Runtime.Frames;
using OneBit.Runtime.Kernels.Firmware;

namespace OneBit.Native
{
    /// <summary>
    /// <see cref="FramePreprocessor.Process"/> in the firmware's C (ob_preprocess, native/onebit_kernels/src/frame.c): the
    /// preprocessor's fields and its own window arrays go to <see cref="NativeLayers.Preprocess"/> with the app's buffers,
    /// as the host's P/Invoke copy passes them (host-tools/OneBit.NativeKernels/NativeFramePreprocessor.cs).
    /// </summary>
    internal sealed class NativeFramePreprocessor : IFramePreprocessor
    {
        private readonly FramePreprocessor _geometry;

        public NativeFramePreprocessor(FramePreprocessor geometry)
        {
            _geometry = geometry;
        }

        public string Name { get { return FirmwareKernelSet.KernelName; } }

        public void Process(byte[] frame, byte[] input)
        {
            FramePreprocessor g = _geometry;
            NativeLayers.Preprocess((int)g.SourceFormat, g.SourceWidth, g.SourceHeight, g.OutputHeight, g.OutputWidth, g.OutputChannels,
                g.WindowX0, g.WindowX1, g.WindowY0, g.WindowY1, frame, input);
        }
    }
}
