using System.Runtime.CompilerServices;

namespace OneBit.Training.Tests;

/// <summary>The trainer's libtorch settings, applied when this assembly loads: oneDNN fixes its kernel choice at the
/// first convolution, and tests that convolve without the trainer's types may run first.</summary>
static class TestProcess
{
#pragma warning disable CA2255 // a test assembly is the process's entry point here, not a library
    [ModuleInitializer]
    internal static void ApplyTrainerSettings() => LibTorchBackend.EnsureApplied();
#pragma warning restore CA2255
}
