using System.CommandLine;
using System.Diagnostics;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>`onebit selftest`: run a blob's embedded test vectors, exactly as the device does at start-up.</summary>
public static class SelfTestCommand
{
    public static Command Create()
    {
        var cmd = new Command("selftest", "Run the test vectors embedded in a model blob; exit code 1 on any mismatch");
        var blob = new Argument<string?>("blob") { Description = "Model blob (.obnb)", Arity = ArgumentArity.ZeroOrOne };
        var demo = new Option<bool>("--demo") { Description = "Build a small synthetic network (random weights) in memory and self-test it" };
        var kernel = KernelChoice.CreateOption();
        cmd.Arguments.Add(blob);
        cmd.Options.Add(demo);
        cmd.Options.Add(kernel);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            string? path = parse.GetValue(blob);
            bool useDemo = parse.GetValue(demo);
            if (path == null && !useDemo) return Fail("give a blob file or --demo");
            byte[] bytes;
            if (useDemo)
            {
                bytes = DemoBlob();
                Console.WriteLine($"demo: synthetic resnet_srelu network (random weights, not a trained model), {bytes.Length:N0} bytes");
            }
            else
            {
                if (!File.Exists(path)) return Fail($"no such file: {path}");
                bytes = File.ReadAllBytes(path!);
            }
            return Run(bytes, parse.GetValue(kernel)!);
        }));
        return cmd;
    }

    private static int Run(byte[] bytes, string kernelName)
    {
        Network net;
        try
        {
            net = BlobReader.Read(bytes);
        }
        catch (BlobFormatException e)
        {
            return Fail(e.Message);
        }
        if (net.TestVectors.Length == 0) return Fail("the blob has no embedded test vectors (convert it again to embed some)");
        NetworkRunner runner = KernelChoice.Runner(kernelName, net);
        Console.WriteLine($"model '{net.Name}': {net.InputHeight}x{net.InputWidth}x{net.InputChannels} input, {net.ClassCount} classes, " +
                          $"{net.Layers.Length} layers, {net.ActivationBits}-bit activations, kernel {kernelName}");
        int failures = 0;
        for (int i = 0; i < net.TestVectors.Length; i++)
        {
            TestVector v = net.TestVectors[i];
            var clock = Stopwatch.StartNew();
            int cls = runner.Run(v.Pixels);
            double ms = clock.Elapsed.TotalMilliseconds;
            uint crc = runner.LogitsChecksum();
            bool ok = cls == v.ExpectedClass && crc == v.LogitsCrc;
            if (!ok) failures++;
            Console.WriteLine($"  vector {i}: class {cls} ({net.ClassNames[cls]}), logits CRC 0x{crc:X8}, {ms:F2} ms  " +
                              (ok ? "ok" : $"MISMATCH: expected class {v.ExpectedClass}, CRC 0x{v.LogitsCrc:X8}"));
        }
        Console.WriteLine(failures == 0 ? $"selftest passed: {net.TestVectors.Length} of {net.TestVectors.Length} vectors" : $"selftest FAILED: {failures} of {net.TestVectors.Length} vectors");
        return failures == 0 ? 0 : 1;
    }

    private static byte[] DemoBlob()
    {
        Network net = SyntheticNetworks.Make(seed: 7, height: 32, width: 32, inChannels: 3, baseWidth: 16, blocks: 3, bits: 2, zero: 3, classes: 10);
        var rng = new Random(7);
        byte[][] frames = Enumerable.Range(0, 4).Select(_ => SyntheticNetworks.RandomPixels(rng, net.InputBytes)).ToArray();
        return TestVectorMaker.WriteWithTestVectors(net, frames);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 2;
    }
}
