using System.CommandLine;
using OneBit.HostKernels;
using OneBit.NativeKernels;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>The `--kernel` option shared by the commands that run a network: the one place a name becomes a kernel set.</summary>
public static class KernelChoice
{
    private static readonly KernelSet[] Sets = { HostKernelSet.Host, HostKernelSet.Scalar, NativeKernelSet.Instance, TunedKernelSet.Instance, ReferenceKernelSet.Instance };

    public static readonly string[] Names = Sets.Select(s => s.Name).ToArray();

    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--kernel")
        {
            Description = "Kernels: host (hardware popcount conv + tuned layers, fastest here), host-scalar (host without its AVX-512 conv rows and quantizer), native (every layer in the portable C of native/onebit_kernels, through P/Invoke; built when gcc and cmake are present), tuned (the device's interpreter-tuned kernels), reference (the contract's plain loops)",
            DefaultValueFactory = _ => "host",
        };
        option.AcceptOnlyFromAmong(Names);
        return option;
    }

    /// <summary>The set of that name; for <c>native</c> only when its library loads (else a NotSupportedException that
    /// says what is missing and how to get it), so a command can check the choice before its workers start.</summary>
    public static KernelSet Set(string name)
    {
        KernelSet set = Sets.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"unknown kernel '{name}': choose one of {string.Join(", ", Names)}");
        if (set == NativeKernelSet.Instance) NativeKernelSet.RequireLibrary();
        return set;
    }

    /// <summary>The name with what a set chooses at run time: for <c>native</c> the code path ("native (avx512)").</summary>
    public static string Label(string name) => Set(name) == NativeKernelSet.Instance ? $"native ({NativeKernelSet.PathName})" : name;

    /// <summary>A whole-frame runner with the chosen kernels; bit-exact with every other choice.</summary>
    public static NetworkRunner Runner(string name, Network net) => new(net, Set(name));
}
