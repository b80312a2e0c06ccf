using OneBit.Runtime.Blob;

namespace OneBit.App.Hardware
{
    /// <summary>
    /// Where the model blob comes from (see device/OneBit.App/MODEL-DEPLOYMENT.md: an embedded resource on the
    /// device, a file or a byte array on the host), read in pages: the app parses it page by page and leaves the test
    /// vectors' pixels in the source, so the blob is never in RAM as a whole next to the parsed network.
    /// </summary>
    public interface IModelSource : IBlobSource
    {
        /// <summary>Human-readable origin for the start-up report, e.g. "resource 'model'".</summary>
        string Description { get; }
    }

    /// <summary>A blob already in memory (tests, host runs), served in copied pages like the device's resource.</summary>
    public sealed class ByteArrayModelSource : IModelSource
    {
        private readonly ByteArrayBlobSource _blob;

        public ByteArrayModelSource(byte[] blob, string description)
        {
            if (blob == null) throw new System.InvalidOperationException("no model blob");
            _blob = new ByteArrayBlobSource(blob);
            Description = description;
        }

        public string Description { get; private set; }

        public int Length { get { return _blob.Length; } }

        public byte[] Read(int offset, int count)
        {
            return _blob.Read(offset, count);
        }
    }
}
