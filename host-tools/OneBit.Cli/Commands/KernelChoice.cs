using System.CommandLine;
using OneBit.HostKernels;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>The `--kernel` option shared by the commands that run a network: which kernels the runner uses.</summary>
public static class KernelChoice
{
    public static readonly string[] Names = { "host", "host-scalar", "tuned", "reference" };

    public static Option<string> CreateOption() => new("--kernel")
    {
        Description = "Kernels: host (hardware popcount conv + tuned layers, fastest here), host-scalar (host without its AVX-512 conv rows and quantizer), tuned (the device's interpreter-tuned kernels), reference (the contract's plain loops)",
        DefaultValueFactory = _ => "host",
    };

    public static IBinaryConvKernel Conv(string name, Network net) => name switch
    {
        "host" => new PopcountConvKernel(),
        "host-scalar" => new PopcountConvKernel(vectorRows: false),
        "tuned" => new OneBit.Runtime.Kernels.Tuned.TunedBinaryConv(net),
        "reference" => BinaryConvReference.Instance,
        _ => throw new ArgumentException($"unknown kernel '{name}': choose one of {string.Join(", ", Names)}"),
    };

    /// <summary>A runner with the chosen kernels; bit-exact with every other choice.</summary>
    public static NetworkRunner Runner(string name, Network net) => new(net, Conv(name, net), tunedLayers: name != "reference")
    {
        Quantizer = name == "host" ? new VectorQuantizeKernel() : null,
    };
}
