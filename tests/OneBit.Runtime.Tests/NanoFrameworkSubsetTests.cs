using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace OneBit.Runtime.Tests;

/// <summary>
/// The core's second build compiles against nanoFramework's mscorlib, which catches missing APIs. What the
/// compiler accepts but the stable firmware refuses (generics, pointers, multidimensional arrays) is checked
/// here on the compiled IL of that build.
/// </summary>
public class NanoFrameworkSubsetTests
{
    private static MetadataReader Open(out PEReader pe)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "nanoFramework", "OneBit.Runtime.dll");
        Assert.True(File.Exists(path), "the nanoFramework build of the core is missing: " + path);
        pe = new PEReader(File.OpenRead(path));
        return pe.GetMetadataReader();
    }

    [Fact]
    public void TheNanoFrameworkBuildReferencesOnlyNanoFrameworkMscorlib()
    {
        MetadataReader md = Open(out PEReader pe);
        using (pe)
        {
            var refs = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).Select(r => (md.GetString(r.Name), r.Version)).ToList();
            Assert.Single(refs);
            Assert.Equal("mscorlib", refs[0].Item1);
            Assert.Equal(1, refs[0].Version.Major);   // nanoFramework mscorlib is 1.x; desktop mscorlib would be 4.0
            Assert.True(md.TypeDefinitions.Count > 20, "the build should contain the core's types");
        }
    }

    [Fact]
    public void TheCoreUsesNoGenericsPointersOrMultidimensionalArrays()
    {
        MetadataReader md = Open(out PEReader pe);
        using (pe)
        {
            Assert.Equal(0, md.GetTableRowCount(TableIndex.GenericParam));
            Assert.Equal(0, md.GetTableRowCount(TableIndex.MethodSpec));
            foreach (TypeSpecificationHandle h in Enumerable.Range(1, md.GetTableRowCount(TableIndex.TypeSpec)).Select(i => MetadataTokens.TypeSpecificationHandle(i)))
            {
                BlobReader sig = md.GetBlobReader(md.GetTypeSpecification(h).Signature);
                var code = sig.ReadSignatureTypeCode();
                Assert.NotEqual(SignatureTypeCode.GenericTypeInstance, code);
                Assert.NotEqual(SignatureTypeCode.Array, code);     // multidimensional
                Assert.NotEqual(SignatureTypeCode.Pointer, code);
            }
        }
    }

    /// <summary>
    /// The path-hit counter calls (Kernels/KernelPaths.cs) are compiled out of the nanoFramework build: no method body
    /// there calls KernelPaths.Hit or HitIf, while the host build's kernels do.
    /// </summary>
    [Fact]
    public void PathCounterCallsExistOnlyInTheHostBuild()
    {
        MetadataReader md = Open(out PEReader pe);
        using (pe) Assert.Equal(0, CounterCalls(md, pe));
        using var host = new PEReader(File.OpenRead(typeof(OneBit.Runtime.Kernels.KernelPaths).Assembly.Location));
        int hostCalls = CounterCalls(host.GetMetadataReader(), host);
        Assert.True(hostCalls >= 10, $"the host build's kernels should count their paths; {hostCalls} calls found");
    }

    /// <summary>call instructions (opcode 0x28 and the method token) to KernelPaths.Hit or HitIf, over all method bodies.</summary>
    private static int CounterCalls(MetadataReader md, PEReader pe)
    {
        var tokens = md.MethodDefinitions
            .Where(h => md.GetString(md.GetTypeDefinition(md.GetMethodDefinition(h).GetDeclaringType()).Name) == "KernelPaths")
            .Where(h => md.GetString(md.GetMethodDefinition(h).Name) is "Hit" or "HitIf")
            .Select(h => BitConverter.GetBytes(MetadataTokens.GetToken(h))).ToList();
        Assert.Equal(2, tokens.Count);
        int calls = 0;
        foreach (MethodDefinitionHandle h in md.MethodDefinitions)
        {
            int rva = md.GetMethodDefinition(h).RelativeVirtualAddress;
            if (rva == 0) continue;
            byte[] il = pe.GetMethodBody(rva).GetILBytes()!;
            for (int i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] == 0x28 && tokens.Any(t => il.AsSpan(i + 1, 4).SequenceEqual(t))) calls++;
            }
        }
        return calls;
    }
}
