using System;

namespace OneBit.Runtime.Frames
{
    /// <summary>A frame source could not deliver a frame: device fault, bus error, timeout, end of a recording.</summary>
    public class FrameSourceException : Exception
    {
        public FrameSourceException(string message) : base(message)
        {
        }

        public FrameSourceException(string message, Exception inner) : base(message, inner)
        {
        }
    }

    /// <summary>A frame arrived but is unusable (wrong length, truncated): skip it; the device itself is fine.</summary>
    public class BadFrameException : FrameSourceException
    {
        public BadFrameException(string message) : base(message)
        {
        }
    }
}
