namespace OneBit.App.Synthetic
{
    /// <summary>
    /// Compiled when no model was given. `onebit build-device --model BLOB` generates a replacement that returns the
    /// blob from a static array initializer (nanoFramework keeps those in the assembly's 64 KB signature table).
    /// </summary>
    internal static class ModelData
    {
        public const string Description = "no model (build with: onebit build-device --variant synthetic --model BLOB)";

        public static byte[] Blob()
        {
            return null;
        }
    }
}
