using System.Reflection;
using System.Text;
using OneBit.DeviceBuild;
using OneBit.PeWriter;

namespace OneBit.DeviceBuild.Tests;

internal static class TestSupport
{
    /// <summary>lib/ of the restored nanoFramework.CoreLibrary 1.17.11 (mscorlib.dll, mscorlib.pe).</summary>
    public static string CoreLibraryDir() =>
        typeof(TestSupport).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NanoCoreLibraryDir").Value!;

    /// <summary>device/OneBit.Native built by this project's build (its project reference).</summary>
    public static string NativeInteropDll() => Path.Combine(
        typeof(TestSupport).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NativeInteropBinDir").Value!, "OneBit.Native.dll");

    /// <summary>The checksum of the committed native table (ONEBIT_NATIVE_CHECKSUM), the one the firmware carries.</summary>
    public static uint FirmwareTableChecksum()
    {
        var header = File.ReadAllText(OneBit.Paths.RepositoryPaths.Combine("native", "onebit_interop", "generated", "onebit_native.h"));
        var m = System.Text.RegularExpressions.Regex.Match(header, @"#define ONEBIT_NATIVE_CHECKSUM 0x([0-9A-F]{8})u");
        Xunit.Assert.True(m.Success, "no ONEBIT_NATIVE_CHECKSUM in onebit_native.h");
        return Convert.ToUInt32(m.Groups[1].Value, 16);
    }

    public static PeFile Mscorlib() => PeFile.Load(Path.Combine(CoreLibraryDir(), "mscorlib.pe"));

    /// <summary>A minimal valid .pe: header, a string table with the names, an AssemblyRef table, and <paramref name="bodyBytes"/> of byte code.</summary>
    public static byte[] FakePe(string name, Version version, (string Name, Version Version)[] references, int bodyBytes = 0, bool entryPoint = false)
    {
        var strings = new MemoryStream();
        ushort Add(string s)
        {
            var id = (ushort)strings.Position;
            strings.Write(Encoding.UTF8.GetBytes(s));
            strings.WriteByte(0);
            return id;
        }

        var tables = new byte[16][];
        for (int i = 0; i < 16; i++)
        {
            tables[i] = Array.Empty<byte>();
        }

        var nameId = Add(name);
        var refs = new MemoryStream();
        foreach (var (refName, v) in references)
        {
            var id = Add(refName);
            foreach (var u in new[] { id, (ushort)0, (ushort)v.Major, (ushort)v.Minor, (ushort)Math.Max(v.Build, 0), (ushort)Math.Max(v.Revision, 0) })
            {
                refs.Write(BitConverter.GetBytes(u));
            }
        }

        if (entryPoint)
        {
            // one MethodDef row (CLR_RECORD_METHODDEF, 16 bytes): name, RVA (none), flags with MD_EntryPoint
            var md = new byte[16];
            BitConverter.TryWriteBytes(md.AsSpan(0), Add("Main"));
            BitConverter.TryWriteBytes(md.AsSpan(2), (ushort)0xFFFF);
            BitConverter.TryWriteBytes(md.AsSpan(4), PeFile.EntryPointFlag | 0x10);
            tables[(int)PeTable.MethodDef] = md;
        }

        tables[(int)PeTable.AssemblyRef] = refs.ToArray();
        tables[(int)PeTable.Strings] = strings.ToArray();
        tables[(int)PeTable.ByteCode] = Enumerable.Range(0, bodyBytes).Select(i => (byte)(i * 7 + 1)).ToArray();
        return new AssemblyHeader { NameStringId = nameId, Version = version }.Assemble(tables);
    }

    public static PeFile Fake(string name, string version, params (string Name, string Version)[] references) =>
        PeFile.Parse(FakePe(name, new Version(version), references.Select(r => (r.Name, new Version(r.Version))).ToArray(), name.Length % 4 + 1), name + ".pe");

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "onebit-devicebuild-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
