using OneBit.App.Synthetic;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using Xunit;
using Xunit.Abstractions;

namespace OneBit.DeviceBuild.Tests;

/// <summary>device/OneBit.App.Synthetic's logic on the host: what the board prints after `onebit flash`.</summary>
[Collection("Console")]
public class SyntheticAppTests(ITestOutputHelper output)
{
    private static string Run(byte[]? blob, int frames, long budget = DeviceMemoryPlan.PsramBudgetBytes)
    {
        var previous = Console.Out;
        var capture = new StringWriter();
        Console.SetOut(capture);
        try
        {
            new SyntheticApp(blob!, "test", frames, budget).Run();
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

    /// <summary>The camera app's choice, printed: whole frame when the budget allows, else streaming rows, with the
    /// tuned kernels either way, and the same logits as the reference kernels (the self-test passes).</summary>
    [Fact]
    public void RunsTheDeviceMemoryPlansRunnerWithTheTunedKernels()
    {
        var net = SyntheticNetworks.Make(11, height: 8, width: 8, inChannels: 3, baseWidth: 8, blocks: 2, classes: 4);
        byte[] blob = TestVectorMaker.WriteWithTestVectors(net, new[] { SyntheticNetworks.RandomPixels(new Random(5), net.InputBytes) });
        DeviceMemoryPlan whole = DeviceMemoryPlan.For(BlobReader.Read(blob), DeviceMemoryPlan.PsramBudgetBytes);
        Assert.Equal(RunnerChoice.WholeFrame, whole.Choice);

        string roomy = Run(blob, 1);
        output.WriteLine(roomy);
        // OneBit.Native's host build answers as stock firmware does (NotSupportedException): the tuned kernels, and why
        Assert.Contains($"kernels: tuned (C# kernels: the firmware has no native code for OneBit.Native (stock nanoCLR)), runner: whole frame, {whole.TotalBytes} B of {DeviceMemoryPlan.PsramBudgetBytes} B budget", roomy);
        Assert.Contains("self-test: 1 test vectors passed", roomy);
        // the C# preprocessor goes with the tuned kernels
        Assert.Contains("preprocessor: C#" + Environment.NewLine, roomy);

        string tight = Run(blob, 1, whole.TotalBytes - 1);
        output.WriteLine(tight);
        Assert.Matches(@"kernels: tuned \(C# kernels: .*\), runner: streaming int(16|32), ", tight);
        Assert.Contains("self-test: 1 test vectors passed", tight);

        Assert.Contains("model does not fit: parameters ", Run(blob, 1, 1000));
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
