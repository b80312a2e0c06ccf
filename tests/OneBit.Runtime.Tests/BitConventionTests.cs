namespace OneBit.Runtime.Tests;

public class BitConventionTests
{
    [Fact]
    public void PopCountMatchesBitByBitCount()
    {
        var rng = new Random(1);
        var values = new List<uint> { 0, 1, 0x80000000u, 0xFFFFFFFFu, 0x55555555u, 0xAAAAAAAAu };
        for (int i = 0; i < 10000; i++) values.Add((uint)rng.Next() ^ ((uint)rng.Next() << 16));
        foreach (uint v in values)
        {
            int naive = 0;
            for (int b = 0; b < 32; b++) naive += (int)((v >> b) & 1);
            Assert.Equal(naive, BitConvention.PopCount(v));
        }
    }

    [Theory]
    [InlineData(1, 1, 0x1u)]
    [InlineData(31, 1, 0x7FFFFFFFu)]
    [InlineData(32, 1, 0xFFFFFFFFu)]
    [InlineData(33, 2, 0x1u)]
    [InlineData(64, 2, 0xFFFFFFFFu)]
    [InlineData(129, 5, 0x1u)]
    public void WordsAndLastWordMaskFollowTheChannelCount(int channels, int words, uint mask)
    {
        Assert.Equal(words, BitConvention.WordsFor(channels));
        Assert.Equal(mask, BitConvention.LastWordMask(channels));
    }

    [Fact]
    public void ChannelBitOrderIsLeastSignificantFirstAndBitOneIsPlusOne()
    {
        var words = new uint[2];
        BitConvention.SetBit(words, 0, 0);
        BitConvention.SetBit(words, 0, 33);
        Assert.Equal(new uint[] { 1u, 2u }, words);
        Assert.Equal(1, BitConvention.WeightSign(words, 0, 33));
        Assert.Equal(-1, BitConvention.WeightSign(words, 0, 32));
    }

    [Fact]
    public void PopcountIdentityEqualsSignedSum()
    {
        var rng = new Random(2);
        for (int t = 0; t < 1000; t++)
        {
            uint w = (uint)rng.Next() ^ ((uint)rng.Next() << 16), a = (uint)rng.Next() ^ ((uint)rng.Next() << 16);
            int direct = 0;
            for (int c = 0; c < 32; c++) direct += (((w >> c) & 1) == 1 ? 1 : -1) * (int)((a >> c) & 1);
            Assert.Equal(direct, 2 * BitConvention.PopCount(w & a) - BitConvention.PopCount(a));
        }
    }
}
