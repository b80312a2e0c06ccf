namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// The embedded test vectors run through a <see cref="StreamingRunner"/> (the same check as <see cref="SelfTest"/>,
    /// which takes the whole-frame runner): the device can self-test the runner it actually classifies with.
    /// </summary>
    public static class StreamingSelfTest
    {
        /// <summary>Returns null when every vector passes, else a message naming the first failing vector.</summary>
        public static string Run(StreamingRunner runner)
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
                        v.LogitsCrc.ToString("X8") + ", got class " + cls.ToString() + " with CRC 0x" + crc.ToString("X8") + " (streaming runner)";
                }
            }
            return null;
        }
    }
}
