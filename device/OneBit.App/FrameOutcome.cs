namespace OneBit.App
{
    /// <summary>What one iteration of the loop did.</summary>
    public enum FrameOutcome
    {
        /// <summary>A frame was captured, preprocessed, classified and reported.</summary>
        Classified = 0,
        /// <summary>The source delivered an unusable frame; it was skipped.</summary>
        BadFrame = 1,
        /// <summary>The source failed; the app waited and will retry (and recover the device after repeated faults).</summary>
        SourceFault = 2,
        /// <summary>Anything else went wrong in this iteration; reported, the loop goes on.</summary>
        Error = 3,
    }
}
