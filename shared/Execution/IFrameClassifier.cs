namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// What a runner offers its callers (the whole-frame <see cref="NetworkRunner"/> and the row-streaming
    /// <see cref="StreamingRunner"/> compute the same logits): one frame in, the class out, the logits kept.
    /// </summary>
    public interface IFrameClassifier
    {
        Model.Network Network { get; }

        /// <summary>Logits of the last frame; owned by the runner and overwritten by the next Run.</summary>
        int[] Logits { get; }

        /// <summary>Classifies one InputHeight×InputWidth×InputChannels frame (HWC bytes) and returns the class.</summary>
        int Run(byte[] pixels);

        /// <summary>CRC-32 of the current logits as int32 little-endian (what test vectors store).</summary>
        uint LogitsChecksum();
    }
}
