using System.CommandLine;
using OneBit.Emulator.Benchmarking;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>`onebit bench`: per-layer and whole-network time, roofline and ONNX Runtime side by side, as ratios.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Benchmark a blob on the emulator against the popcount roofline and ONNX Runtime float32 (1 thread, batch 1)");
        var blob = new Argument<string?>("blob") { Description = "Model blob (.obnb); omit with --demo", Arity = ArgumentArity.ZeroOrOne };
        var frames = new Option<int>("--frames") { Description = "Frames per measurement", DefaultValueFactory = _ => 200 };
        var kernel = KernelChoice.CreateOption();
        var demo = new Option<bool>("--demo") { Description = "Benchmark a synthetic 32x32x3 depth-8 width-16 network with 1-bit activations" };
        var compare = new Option<string?>("--compare") { Description = "Also time these kernels (comma-separated, e.g. host,tuned) whole-frame beside the chosen one and ONNX Runtime float32, in alternating rounds, and print each one's speed relative to ONNX Runtime" };
        var synthetic = new Option<string?>("--synthetic") { Description = "Benchmark a synthetic network SIZE,CHANNELS,BLOCKS,BITS (e.g. 8,640,1,8: one block of an 8x8, 640-channel stage at 8 bits)" };
        cmd.Arguments.Add(blob);
        cmd.Options.Add(frames); cmd.Options.Add(kernel); cmd.Options.Add(demo); cmd.Options.Add(synthetic); cmd.Options.Add(compare);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            Network net;
            string? path = parse.GetValue(blob);
            try
            {
                net = path != null ? BlobReader.Read(File.ReadAllBytes(path))
                    : parse.GetValue(demo) ? BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(8, 32, 32, 3, 16, 2, 1, 1, 10)))
                    : parse.GetValue(synthetic) is string spec ? Synthetic(spec)
                    : throw new ArgumentException("give a blob or --demo");
            }
            catch (Exception e) when (e is IOException or ArgumentException or BlobFormatException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            string kernelName = parse.GetValue(kernel)!;
            string[] others = (parse.GetValue(compare) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(n => n != kernelName).Distinct().ToArray();
            foreach (string name in others.Prepend(kernelName)) KernelChoice.Set(name);   // an unknown or unavailable kernel fails before any timing
            NetworkBench.Result r = NetworkBench.Run(net, () => KernelChoice.Runner(kernelName, net), parse.GetValue(frames));
            Console.Write(NetworkBench.Format(net, r, KernelChoice.Label(kernelName)));
            if (others.Length > 0)
            {
                var kernels = others.Prepend(kernelName).Select(n => (KernelChoice.Label(n), (Func<NetworkRunner>)(() => KernelChoice.Runner(n, net)))).ToArray();
                Console.WriteLine();
                Console.Write(NetworkBench.FormatSideBySide(NetworkBench.SideBySide(net, kernels, parse.GetValue(frames)), parse.GetValue(frames)));
            }
            return 0;
        }));
        return cmd;
    }

    private static Network Synthetic(string spec)
    {
        int[] v = spec.Split(',').Select(int.Parse).ToArray();
        if (v.Length != 4) throw new ArgumentException("--synthetic SIZE,CHANNELS,BLOCKS,BITS");
        int bits = v[3], zero = bits == 1 ? 1 : (1 << bits) - 1;
        return BlobReader.Read(BlobWriter.Write(SyntheticNetworks.Make(1, v[0], v[0], 3, v[1], v[2], bits, zero, 10)));
    }
}
