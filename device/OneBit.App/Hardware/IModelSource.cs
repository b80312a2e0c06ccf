namespace OneBit.App.Hardware
{
    /// <summary>
    /// Where the model blob comes from (see device/OneBit.App/MODEL-DEPLOYMENT.md: an embedded resource on the
    /// device, a file or a byte array on the host). The app parses the bytes once and then drops its reference,
    /// so the blob's memory can be collected; the parsed network keeps only weights and constants.
    /// </summary>
    public interface IModelSource
    {
        /// <summary>Human-readable origin for the start-up report, e.g. "resource 'model'".</summary>
        string Description { get; }

        /// <summary>Returns the whole blob; throws if it cannot be read.</summary>
        byte[] Load();
    }

    /// <summary>A blob already in memory (tests, host runs).</summary>
    public sealed class ByteArrayModelSource : IModelSource
    {
        private byte[] _blob;

        public ByteArrayModelSource(byte[] blob, string description)
        {
            _blob = blob;
            Description = description;
        }

        public string Description { get; private set; }

        public byte[] Load()
        {
            if (_blob == null) throw new System.InvalidOperationException("no model blob");
            return _blob;
        }
    }
}
