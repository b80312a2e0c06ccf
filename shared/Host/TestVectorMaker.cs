using System;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Host
{
    /// <summary>Embeds self-test vectors: runs the frames through the reference runtime and records class and logits CRC.</summary>
    public static class TestVectorMaker
    {
        /// <summary>Returns the blob of <paramref name="net"/> with one test vector per frame.</summary>
        public static byte[] WriteWithTestVectors(Network net, byte[][] frames)
        {
            net.TestVectors = Array.Empty<TestVector>();
            var runner = new NetworkRunner(BlobReader.Read(BlobWriter.Write(net)));
            var vectors = new TestVector[frames.Length];
            for (int i = 0; i < frames.Length; i++)
            {
                int cls = runner.Run(frames[i]);
                vectors[i] = new TestVector { ExpectedClass = cls, LogitsCrc = runner.LogitsChecksum(), Pixels = (byte[])frames[i].Clone() };
            }
            net.TestVectors = vectors;
            return BlobWriter.Write(net);
        }
    }
}
