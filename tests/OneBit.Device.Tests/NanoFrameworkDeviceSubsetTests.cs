using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace OneBit.Device.Tests;

/// <summary>
/// device/OneBit.App/NanoFrameworkCheck compiles all portable device sources (core, frames, camera driver, app)
/// against nanoFramework's mscorlib, which catches missing APIs. What the compiler accepts but the stable
/// firmware refuses (generics, pointers, multidimensional arrays) is checked here on the compiled IL.
/// </summary>
public class NanoFrameworkDeviceSubsetTests
{
    private static MetadataReader Open(out PEReader pe)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "nanoFramework", "OneBit.Device.dll");
        Assert.True(File.Exists(path), "the nanoFramework build of the device sources is missing: " + path);
        pe = new PEReader(File.OpenRead(path));
        return pe.GetMetadataReader();
    }

    [Fact]
    public void TheDeviceBuildReferencesOnlyNanoFrameworkMscorlib()
    {
        MetadataReader md = Open(out PEReader pe);
        using (pe)
        {
            var refs = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).ToList();
            Assert.Single(refs);
            Assert.Equal("mscorlib", md.GetString(refs[0].Name));
            Assert.Equal(1, refs[0].Version.Major);
            var types = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToHashSet();
            foreach (string t in new[] { "DeviceApp", "ArduCamMini2MP", "Ov2640Sensor", "ArduChipController", "FramePreprocessor", "SyntheticFrameSource", "RecordedFrameSource", "NetworkRunner" })
            {
                Assert.Contains(t, types);
            }
        }
    }

    [Fact]
    public void TheDeviceBuildUsesNoGenericsPointersOrMultidimensionalArrays()
    {
        MetadataReader md = Open(out PEReader pe);
        using (pe)
        {
            Assert.Equal(0, md.GetTableRowCount(TableIndex.GenericParam));
            Assert.Equal(0, md.GetTableRowCount(TableIndex.MethodSpec));
            for (int i = 1; i <= md.GetTableRowCount(TableIndex.TypeSpec); i++)
            {
                BlobReader sig = md.GetBlobReader(md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(i)).Signature);
                var code = sig.ReadSignatureTypeCode();
                Assert.NotEqual(SignatureTypeCode.GenericTypeInstance, code);
                Assert.NotEqual(SignatureTypeCode.Array, code);
                Assert.NotEqual(SignatureTypeCode.Pointer, code);
            }
        }
    }
}
