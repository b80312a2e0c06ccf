using System;

namespace OneBit.Runtime.Blob
{
    /// <summary>A blob was rejected at load; the message names what is wrong and where.</summary>
    public class BlobFormatException : Exception
    {
        /// <summary>Byte offset of the problem in the blob, or −1 when it concerns the whole file.</summary>
        public int Offset { get; private set; }
        /// <summary>Index of the layer record concerned, or −1.</summary>
        public int LayerIndex { get; private set; }

        public BlobFormatException(string message, int offset, int layerIndex)
            : base(Describe(message, offset, layerIndex))
        {
            Offset = offset;
            LayerIndex = layerIndex;
        }

        private static string Describe(string message, int offset, int layerIndex)
        {
            string where = offset >= 0 ? "at byte " + offset.ToString() : "in the file";
            if (layerIndex >= 0) where = where + ", layer " + layerIndex.ToString();
            return "Invalid model blob (" + where + "): " + message;
        }
    }
}
