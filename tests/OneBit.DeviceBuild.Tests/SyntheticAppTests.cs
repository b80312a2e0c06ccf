using OneBit.App.Synthetic;
using OneBit.Runtime.Host;
using Xunit;
using Xunit.Abstractions;

namespace OneBit.DeviceBuild.Tests;

/// <summary>device/OneBit.App.Synthetic's logic on the host: what the board prints after `onebit flash`.</summary>
[Collection("Console")]
public class SyntheticAppTests(ITestOutputHelper output)
{
    private static string Run(byte[]? blob, int frames)
    {
        var previous = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(capture);
        try
        {
            new SyntheticApp(blob!, "test", frames).Run();
        }
        finally
        {
            Console.SetOut(previous);
        }

        return capture.ToString();
    }

    [Fact]
    public void ClassifiesSyntheticFramesAfterTheSelfTest()
    {
        var net = SyntheticNetworks.Make(11, height: 8, width: 8, inChannels: 3, baseWidth: 8, blocks: 2, classes: 4);
        var frames = Enumerable.Range(0, 2).Select(i => SyntheticNetworks.RandomPixels(new Random(i), net.InputBytes)).ToArray();
        var text = Run(TestVectorMaker.WriteWithTestVectors(net, frames), 4);
        output.WriteLine(text);
        Assert.Contains("self-test: 2 test vectors passed", text);
        foreach (var pattern in new[] { "gradient", "checkerboard", "colour bars", "noise" })
        {
            Assert.Contains($"({pattern}): class ", text);
        }

        Assert.Equal(4, text.Split('\n').Count(l => l.StartsWith("frame ")));
    }

    [Fact]
    public void WithoutAModelItSaysHowToBuildOne()
    {
        Assert.Contains("model: test", Run(null, 1));
    }

    [Fact]
    public void ADamagedBlobIsRejectedWithAReason()
    {
        var net = SyntheticNetworks.Make(2);
        var blob = TestVectorMaker.WriteWithTestVectors(net, new[] { SyntheticNetworks.RandomPixels(new Random(0), net.InputBytes) });
        blob[blob.Length / 2] ^= 0x10;
        Assert.Contains("model rejected: ", Run(blob, 1));
    }
}
