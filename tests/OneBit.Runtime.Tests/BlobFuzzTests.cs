using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Tests;

public class BlobFuzzTests
{
    /// <summary>
    /// 12,000 mutated and truncated blobs. Half get their CRC recomputed so the structural checks behind the CRC
    /// are reached. Every blob must either be rejected with a BlobFormatException or parse into a network that
    /// runs, re-serializes and re-reads identically: no other exception, no hang.
    /// </summary>
    [Fact]
    public void MutatedAndTruncatedBlobsAreRejectedCleanlyOrParseConsistently()
    {
        var rng = new Random(2024);
        byte[][] seeds =
        {
            TestVectorMaker.WriteWithTestVectors(SyntheticNetworks.Make(21, 5, 5, 3, 8, 2, 2, 3, 4), new[] { SyntheticNetworks.RandomPixels(rng, 75) }),
            BlobWriter.Write(SyntheticNetworks.Make(22, 3, 4, 1, 33, 2, 1, 1, 3, perChannel: true)),
            BlobWriter.Write(SyntheticNetworks.Make(23, 4, 3, 3, 8, 2, 4, 0, 3, perChannel: true)),     // affine quantizers
            BlobWriter.Write(SyntheticNetworks.Make(24, 4, 3, 3, 8, 2, 8, 0, 3, perChannel: true, compactAffine: true)),  // compact affine (kind 7)
        };
        int rejected = 0, parsed = 0;
        for (int i = 0; i < 12000; i++)
        {
            byte[] b = Mutate(rng, seeds[i % seeds.Length]);
            if (i % 2 == 0 && b.Length >= 16) BitConverter.GetBytes(Crc32.Compute(b, 16, b.Length - 16)).CopyTo(b, 12);
            Network net;
            try
            {
                net = BlobReader.Read(b, 16 << 20);
            }
            catch (BlobFormatException)
            {
                rejected++;
                continue;
            }
            parsed++;
            var runner = new NetworkRunner(net);
            int cls = runner.Run(new byte[net.InputBytes]);
            Assert.InRange(cls, 0, net.ClassCount - 1);
            byte[] once = BlobWriter.Write(net);
            Assert.Equal(once, BlobWriter.Write(BlobReader.Read(once)));
        }
        Assert.Equal(12000, rejected + parsed);
        Assert.True(rejected > 6000, $"only {rejected} rejected");
        Assert.True(parsed > 10, $"only {parsed} mutants parsed: the fuzzer is not reaching the structure");
    }

    internal static byte[] Mutate(Random rng, byte[] seed)
    {
        byte[] b = (byte[])seed.Clone();
        switch (rng.Next(5))
        {
            case 0: return b[..rng.Next(b.Length)];                                  // truncate
            case 1:                                                                   // flip bits
                for (int k = rng.Next(1, 4); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 2:                                                                   // overwrite a u16/u32 field with an extreme value
                int at = rng.Next(b.Length - 4) & ~1;
                uint[] extremes = { 0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 0x8000, 2, 3, 33 };
                BitConverter.GetBytes(extremes[rng.Next(extremes.Length)]).AsSpan(0, rng.Next(2) == 0 ? 2 : 4).CopyTo(b.AsSpan(at));
                return b;
            case 3:                                                                   // change a small header-ish byte
                b[rng.Next(Math.Min(b.Length, 200))] = (byte)rng.Next(256);
                return b;
            default:                                                                  // insert or delete bytes in the middle
                int pos = rng.Next(16, b.Length);
                return rng.Next(2) == 0 ? b[..pos].Concat(new byte[rng.Next(1, 9)]).Concat(b[pos..]).ToArray() : b[..pos].Concat(b[Math.Min(b.Length, pos + rng.Next(1, 9))..]).ToArray();
        }
    }
}
