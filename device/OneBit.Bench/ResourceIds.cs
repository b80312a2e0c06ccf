namespace OneBit.Bench
{
    /// <summary>
    /// The 16-bit id under which a .pe's resource table files an entry name. nanoCLR looks entries up by id only, so
    /// the bench, which learns the model names at run time, computes the ids itself. Must equal
    /// host-tools/OneBit.PeWriter ResourceTables.IdFromName (the metadata processor's hash); BenchImageTests
    /// (tests/OneBit.DeviceBuild.Tests) checks the ids it finds in the written .pe, and a wrong id would make the
    /// bench fail to find its models.
    /// </summary>
    public static class ResourceIds
    {
        public static short FromName(string name)
        {
            // two interleaved djb2-style hashes over the characters, folded to 16 bits (wrapping int arithmetic)
            int hash1 = (5381 << 16) + 5381;
            int hash2 = hash1;
            for (int i = 0; i < name.Length; i++)
            {
                int c = name[i];
                if (i % 2 == 0) hash1 = ((hash1 << 5) + hash1) ^ c;
                else hash2 = ((hash2 << 5) + hash2) ^ c;
            }
            int hash = hash1 + hash2 * 1566083941;
            return (short)((short)(hash >> 16) ^ (short)hash);
        }
    }
}
