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
        /// <param name="runner">Builds the runner that computes the vectors (default: the reference kernels, slow on wide
        /// networks); every runner gives the same logits.</param>
        public static byte[] WriteWithTestVectors(Network net, byte[][] frames, Func<Network, IFrameClassifier> runner = null)
        {
            net.TestVectors = Array.Empty<TestVector>();
            Network parsed = BlobReader.Read(BlobWriter.Write(net));
            IFrameClassifier classifier = runner != null ? runner(parsed) : new NetworkRunner(parsed);
            var vectors = new TestVector[frames.Length];
            for (int i = 0; i < frames.Length; i++)
            {
                int cls = classifier.Run(frames[i]);
                vectors[i] = new TestVector { ExpectedClass = cls, LogitsCrc = classifier.LogitsChecksum(), Pixels = (byte[])frames[i].Clone() };
            }
            net.TestVectors = vectors;
            return BlobWriter.Write(net);
        }
    }
}
