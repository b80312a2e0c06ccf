using System.CommandLine;
using OneBit.HostKernels;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>The `--kernel` option shared by the commands that run a network: the one place a name becomes a kernel set.</summary>
public static class KernelChoice
{
    private static readonly KernelSet[] Sets = { HostKernelSet.Host, HostKernelSet.Scalar, TunedKernelSet.Instance, ReferenceKernelSet.Instance };

    public static readonly string[] Names = Sets.Select(s => s.Name).ToArray();

    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--kernel")
        {
            Description = "Kernels: host (hardware popcount conv + tuned layers, fastest here), host-scalar (host without its AVX-512 conv rows and quantizer), tuned (the device's interpreter-tuned kernels), reference (the contract's plain loops)",
            DefaultValueFactory = _ => "host",
        };
        option.AcceptOnlyFromAmong(Names);
        return option;
    }

    public static KernelSet Set(string name) => Sets.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown kernel '{name}': choose one of {string.Join(", ", Names)}");

    /// <summary>A whole-frame runner with the chosen kernels; bit-exact with every other choice.</summary>
    public static NetworkRunner Runner(string name, Network net) => new(net, Set(name));
}
