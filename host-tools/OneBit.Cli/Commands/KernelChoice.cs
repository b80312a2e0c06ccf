using System.CommandLine;
using OneBit.HostKernels;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;

namespace OneBit.Cli.Commands;

/// <summary>The `--kernel` option shared by the commands that run a network.</summary>
public static class KernelChoice
{
    public static readonly string[] Names = { "popcount64", "reference" };

    public static Option<string> CreateOption() => new("--kernel")
    {
        Description = "Binary conv kernel: popcount64 (host hardware popcount) or reference (the contract's plain loops)",
        DefaultValueFactory = _ => "popcount64",
    };

    public static IBinaryConvKernel Create(string name) => name switch
    {
        "popcount64" => new PopcountConvKernel(),
        "reference" => BinaryConvReference.Instance,
        _ => throw new ArgumentException($"unknown kernel '{name}': choose one of {string.Join(", ", Names)}"),
    };
}
