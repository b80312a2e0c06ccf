using Mono.Cecil;
using Xunit;

namespace OneBit.PeWriter.Tests;

/// <summary>Types marked [ExcludeType], and the default exclusions, never reach the .pe.</summary>
public class ExclusionTests
{
    [Fact]
    public void ExcludeType_and_ThisAssembly_are_left_out()
    {
        using var f = new CecilFixtures("Exclusions");
        f.Method("Kept");
        var hidden = f.NewType("Hidden");
        f.Method("HiddenMethod", owner: hidden);
        var excludeCtor = f.ImportMethod("System.Runtime.CompilerServices.ExcludeTypeAttribute", m => m.IsConstructor && !m.IsStatic);
        hidden.CustomAttributes.Add(new CustomAttribute(excludeCtor));
        var thisAssembly = new TypeDefinition(string.Empty, "ThisAssembly", TypeAttributes.NotPublic | TypeAttributes.Class, f.Import("System.Object"));
        f.Module.Types.Add(thisAssembly);
        f.Method("Version", owner: thisAssembly);

        var image = f.Compile();
        var reader = new PeReader(image.Bytes);
        var names = reader.TypeDefs().Select(t => t.Name).ToList();
        Assert.Contains("Case", names);
        Assert.DoesNotContain("Hidden", names);
        Assert.DoesNotContain("ThisAssembly", names);
        Assert.DoesNotContain(reader.MethodDefs(), m => m.Name == "HiddenMethod" || m.Name == "Version");
        Assert.DoesNotContain(reader.TypeRefs(), t => t.Name == "ExcludeTypeAttribute");
    }
}
