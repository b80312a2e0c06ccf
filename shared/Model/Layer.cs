namespace OneBit.Runtime.Model
{
    /// <summary>
    /// One layer record. Public fields are what the blob stores; properties with internal setters are
    /// shapes the reader derives by walking the records in order (CONTRACT.md §7), so kernels never
    /// recompute or re-check them per frame.
    /// </summary>
    public abstract class Layer
    {
        public abstract int Kind { get; }

        /// <summary>Position of the record in the blob (0-based); set by the reader.</summary>
        public int Index { get; internal set; }
    }
}
