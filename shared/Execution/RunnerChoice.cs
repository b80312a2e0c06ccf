namespace OneBit.Runtime.Execution
{
    /// <summary>Which runner a <see cref="DeviceMemoryPlan"/> chose.</summary>
    public enum RunnerChoice
    {
        /// <summary>NetworkRunner: whole-tensor buffers, no per-row stepping.</summary>
        WholeFrame,
        /// <summary>StreamingRunner with int32 stream rings.</summary>
        StreamingInt32,
        /// <summary>StreamingRunner with 16-bit stream rings (StreamBound proves them exact).</summary>
        StreamingInt16,
        /// <summary>Not even the streaming runner fits the budget; the numbers are the streaming runner's.</summary>
        DoesNotFit,
    }
}
