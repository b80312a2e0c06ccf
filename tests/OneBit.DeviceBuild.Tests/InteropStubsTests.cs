using System.Reflection;
using System.Text.RegularExpressions;
using Mono.Cecil;
using OneBit.BenchImage;
using OneBit.Paths;
using OneBit.PeWriter;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// The native side of the interop assembly OneBit.Native (device/OneBit.Native): the table and handler header that
/// `OneBit.BenchImage interop-stubs` generates from the assembly (native/onebit_interop/generated, committed), against
/// the .pe our writer makes of the same assembly. nanoCLR loads the assembly only when the table's checksum is the
/// .pe's, and calls table row i for .pe method i, so both must hold for every change of the C# stubs.
/// </summary>
public class InteropStubsTests
{
    private static string NativeDll() => TestSupport.NativeInteropDll();

    private static string Generated(string file) => RepositoryPaths.Combine("native", "onebit_interop", "generated", file);

    private static string Glue(string file) => RepositoryPaths.Combine("native", "onebit_interop", file);

    private static PeWriterOptions Options()
    {
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(TestSupport.CoreLibraryDir());
        return options;
    }

    [Fact]
    public void TheCommittedTableAndHeaderAreWhatTheGeneratorWritesFromTheAssembly()
    {
        var dir = TestSupport.TempDir("interop-stubs");
        string[] written = InteropStubs.Write(NativeDll(), TestSupport.CoreLibraryDir(), dir);

        Assert.Equal(new[] { "onebit_native.h", "onebit_native_table.cpp" }, written.Select(Path.GetFileName));
        foreach (string path in written)
        {
            // regenerate with: dotnet run --project host-tools/OneBit.BenchImage -- interop-stubs
            //   device/OneBit.Native/bin/Release/netstandard2.0/OneBit.Native.dll native/onebit_interop/generated
            Assert.Equal(File.ReadAllText(Generated(Path.GetFileName(path))), File.ReadAllText(path));
        }
    }

    [Fact]
    public void TheTableHasOneRowPerPeMethodInPeOrderAndThePesChecksum()
    {
        var stubs = NativeStubs.FromAssembly(NativeDll(), Options());
        byte[] pe = OneBit.PeWriter.PeWriter.Write(NativeDll(), Options());
        var reader = new PeReader(pe);
        var methods = reader.MethodDefs().ToList();

        Assert.Equal("OneBit.Native", stubs.AssemblyName);
        Assert.Equal(PeFile.Parse(pe, "OneBit.Native").NativeMethodsChecksum, stubs.Checksum);
        Assert.Equal(new Version(1, 0, 0, 0), stubs.NativeVersion);
        Assert.Equal(methods.Count, stubs.Rows.Count);
        for (int i = 0; i < methods.Count; i++)
        {
            Assert.Equal(methods[i].Name, stubs.Rows[i].Method.Name);
            // the writer gives natives no byte code (RVA 0xFFFF); every other method here has IL
            Assert.Equal(methods[i].Rva == 0xFFFF, stubs.Rows[i].Native);
        }

        // the natives are exactly the externs of NativeLayers, named as nanoFramework's stub convention names them
        using var assembly = AssemblyDefinition.ReadAssembly(NativeDll());
        var externs = assembly.MainModule.GetType("OneBit.Native.NativeLayers").Methods.Where(m => m.IsInternalCall).Select(m => m.Name);
        Assert.Equal(externs.OrderBy(n => n), stubs.Rows.Where(r => r.Native).Select(r => r.Method.Name).OrderBy(n => n));
        Assert.All(stubs.Rows.Where(r => r.Native), r => Assert.Equal("OneBit_Native_NativeLayers", r.ClassName));
        Assert.Contains(stubs.Rows, r => r.MethodName == "InteropVersion___STATIC__I4");
        Assert.Contains(stubs.Rows, r => r.MethodName == "PoolRows___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__I4__SZARRAY_I8__I4__I4");
        Assert.Contains(stubs.Rows, r => r.MethodName ==
            "Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1");

        // the table text: its rows in that order, and the header's checksum and name
        string table = stubs.Table("onebit_native.h");
        var rows = Regex.Matches(table, @"^    (nullptr|\S+::(\S+)),\s+// (\d+):", RegexOptions.Multiline);
        Assert.Equal(methods.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].Groups[3].Value);
            Assert.Equal(stubs.Rows[i].Native ? stubs.Rows[i].MethodName : "", rows[i].Groups[2].Value);
        }

        Assert.Contains($"    0x{stubs.Checksum:X8},", table);
        Assert.Contains($"#define ONEBIT_NATIVE_CHECKSUM 0x{stubs.Checksum:X8}u", stubs.Header("onebit_native.h"));
    }

    [Fact]
    public void TheChecksumDependsOnTheTablesOrder()
    {
        var stubs = NativeStubs.FromAssembly(NativeDll(), Options());
        var entries = stubs.Rows.Select(r => r.Native ? (r.ClassName, r.MethodName) : ((string, string)?)null).ToList();
        Assert.Equal(stubs.Checksum, NativeMethodsChecksum.Of(stubs.AssemblyName, entries));

        // two natives swapped, or a method with IL moved between them: another checksum, so nanoCLR would refuse it
        int first = entries.FindIndex(e => e != null), second = entries.FindIndex(first + 1, e => e != null);
        var swapped = entries.ToList();
        (swapped[first], swapped[second]) = (swapped[second], swapped[first]);
        Assert.NotEqual(stubs.Checksum, NativeMethodsChecksum.Of(stubs.AssemblyName, swapped));
        var moved = entries.ToList();
        moved.RemoveAt(entries.FindIndex(e => e == null));
        moved.Add(null);
        Assert.NotEqual(stubs.Checksum, NativeMethodsChecksum.Of(stubs.AssemblyName, moved));
        Assert.NotEqual(stubs.Checksum, NativeMethodsChecksum.Of("OneBit.Native2", entries));
    }

    [Fact]
    public void AnAssemblyWithoutExternsOrNativeVersionIsRefused()
    {
        var noExterns = Assert.Throws<InvalidDataException>(() =>
            NativeStubs.FromAssembly(Path.Combine(Path.GetDirectoryName(NativeDll())!, "OneBit.Runtime.dll"), Options()));
        Assert.Contains("has no extern method", noExterns.Message);

        var dir = TestSupport.TempDir("interop-no-version");
        string copy = Path.Combine(dir, "OneBit.Native.dll");
        using (var module = ModuleDefinition.ReadModule(NativeDll()))
        {
            var attributes = module.Assembly.CustomAttributes;
            attributes.Remove(attributes.Single(a => a.AttributeType.Name == "AssemblyNativeVersionAttribute"));
            module.Write(copy);
        }

        File.Copy(Path.Combine(Path.GetDirectoryName(NativeDll())!, "OneBit.Runtime.dll"), Path.Combine(dir, "OneBit.Runtime.dll"));
        var noVersion = Assert.Throws<InvalidDataException>(() => NativeStubs.FromAssembly(copy, Options()));
        Assert.Contains("AssemblyNativeVersion", noVersion.Message);
    }

    [Fact]
    public void EveryGeneratedHandlerIsDefinedByTheGlueAndTheVersionsAgree()
    {
        string header = File.ReadAllText(Generated("onebit_native.h"));
        string glue = File.ReadAllText(Glue("onebit_native_layers.cpp"));
        var declared = Regex.Matches(header, @"NANOCLR_NATIVE_DECLARE\((\w+)\);").Select(m => m.Groups[1].Value).ToList();
        var defined = Regex.Matches(glue, @"HRESULT NativeLayers::\s*(\w+)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(9, declared.Count);
        Assert.Contains(declared, n => n.StartsWith("Preprocess___STATIC__VOID__", StringComparison.Ordinal));
        Assert.Equal(declared.OrderBy(n => n), defined.OrderBy(n => n));

        // the probe's answer: ONEBIT_INTEROP_VERSION of the glue is the number NativeKernelSet expects
        string version = Regex.Match(File.ReadAllText(Glue("onebit_interop.h")), @"#define ONEBIT_INTEROP_VERSION (\d+)").Groups[1].Value;
        string expected = Regex.Match(File.ReadAllText(RepositoryPaths.Combine("device", "OneBit.Native", "NativeKernelSet.cs")),
            @"public const int InteropVersion = (\d+);").Groups[1].Value;
        Assert.NotEqual("", version);
        Assert.Equal(expected, version);
    }

    [Fact]
    public void TheFindModuleListsTheGeneratedTableTheGlueAndEveryKernelSource()
    {
        string module = File.ReadAllText(Glue("FindINTEROP-OneBit.Native.cmake"));
        var listed = Regex.Matches(module, @"\$\{ONEBIT_NATIVE_DIR\}/([\w/.]+\.(?:cpp|c))""").Select(m => m.Groups[1].Value).ToHashSet();
        var kernels = Directory.GetFiles(RepositoryPaths.Combine("native", "onebit_kernels", "src"), "*.c")
            .Select(f => "onebit_kernels/src/" + Path.GetFileName(f));
        Assert.Subset(listed, kernels.ToHashSet());
        Assert.Contains("onebit_interop/generated/onebit_native_table.cpp", listed);
        Assert.Contains("onebit_interop/onebit_native_layers.cpp", listed);
        Assert.All(listed, f => Assert.True(File.Exists(RepositoryPaths.Combine(["native", .. f.Split('/')])), f));
    }
}
