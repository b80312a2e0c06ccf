namespace OneBit.Runtime.Execution
{
    /// <summary>Runs a blob's embedded test vectors (the same check on the host and on the device).</summary>
    public static class SelfTest
    {
        /// <summary>Returns null when every vector passes, else a message naming the first failing vector.</summary>
        public static string Run(IFrameClassifier runner)
        {
            return Run(runner, null);
        }

        /// <summary>As <see cref="Run(IFrameClassifier)"/>; vectors whose pixels were left in the blob (read from a
        /// source) are fetched from <paramref name="source"/> one at a time.</summary>
        public static string Run(IFrameClassifier runner, Blob.IBlobSource source)
        {
            Model.TestVector[] vectors = runner.Network.TestVectors;
            for (int i = 0; i < vectors.Length; i++)
            {
                Model.TestVector v = vectors[i];
                byte[] pixels = v.Pixels;
                if (pixels == null)
                {
                    if (source == null) throw new System.ArgumentNullException("source", "test vector " + i.ToString() + " has its pixels in the blob");
                    pixels = source.Read(v.PixelOffset, runner.Network.InputBytes);
                }
                int cls = runner.Run(pixels);
                uint crc = runner.LogitsChecksum();
                if (cls != v.ExpectedClass || crc != v.LogitsCrc)
                {
                    return "test vector " + i.ToString() + ": expected class " + v.ExpectedClass.ToString() + " with logits CRC 0x" +
                        v.LogitsCrc.ToString("X8") + ", got class " + cls.ToString() + " with CRC 0x" + crc.ToString("X8");
                }
            }
            return null;
        }
    }
}
