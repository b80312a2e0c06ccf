namespace OneBit.Runtime.Blob
{
    /// <summary>
    /// Random access to a blob that need not be in RAM as a whole: on the device, slices of the app's embedded resource
    /// (nanoFramework's ResourceUtility.GetObject with an offset and a length), so that a model whose blob and parsed
    /// parameters together exceed the heap can still be loaded (<see cref="BlobReader.Read(IBlobSource, long, int)"/>).
    /// </summary>
    public interface IBlobSource
    {
        /// <summary>Bytes in the blob.</summary>
        int Length { get; }

        /// <summary>A new array with bytes [offset, offset + count) of the blob; throws when they cannot be read.</summary>
        byte[] Read(int offset, int count);
    }

    /// <summary>A blob already in memory, served in copies (tests, host runs).</summary>
    public sealed class ByteArrayBlobSource : IBlobSource
    {
        private readonly byte[] _data;

        public ByteArrayBlobSource(byte[] data)
        {
            if (data == null) throw new System.ArgumentNullException("data");
            _data = data;
        }

        public int Length { get { return _data.Length; } }

        public byte[] Read(int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > _data.Length) throw new System.ArgumentOutOfRangeException("offset");
            byte[] slice = new byte[count];
            System.Array.Copy(_data, offset, slice, 0, count);
            return slice;
        }
    }
}
