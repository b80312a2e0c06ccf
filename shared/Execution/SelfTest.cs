namespace OneBit.Runtime.Execution
{
    /// <summary>Runs a blob's embedded test vectors (the same check on the host and on the device).</summary>
    public static class SelfTest
    {
        /// <summary>Returns null when every vector passes, else a message naming the first failing vector.</summary>
        public static string Run(IFrameClassifier runner)
        {
            Model.TestVector[] vectors = runner.Network.TestVectors;
            for (int i = 0; i < vectors.Length; i++)
            {
                Model.TestVector v = vectors[i];
                int cls = runner.Run(v.Pixels);
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
