using System.Globalization;
using System.Text;
using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// The native side of an interop assembly, read from the assembly itself: what nanoFramework's metadata processor
/// emits as the stub skeleton. One table row per method of the .pe in .pe method order (the index nanoCLR calls
/// <c>m_nativeCode[method]</c> with), a handler for every method without IL and NULL for the others, the assembly
/// name, the native-methods checksum the .pe writer puts in the header, and the version of
/// <c>[assembly: AssemblyNativeVersion]</c>. <see cref="FromAssembly"/> recomputes the checksum from the rows and
/// refuses a table that would not give the header's, so the names, the order and the checksum cannot disagree.
/// </summary>
public sealed class NativeStubs
{
    private const string NativeVersionAttribute = "System.Reflection.AssemblyNativeVersionAttribute";

    private NativeStubs(string assemblyName, uint checksum, Version nativeVersion, IReadOnlyList<NativeTableEntry> rows)
    {
        AssemblyName = assemblyName;
        Checksum = checksum;
        NativeVersion = nativeVersion;
        Rows = rows;
    }

    public string AssemblyName { get; }

    /// <summary>CLR_RECORD_ASSEMBLY::nativeMethodsChecksum of the written .pe.</summary>
    public uint Checksum { get; }

    public Version NativeVersion { get; }

    /// <summary>Every method of the .pe, in its order; <see cref="NativeTableEntry.Native"/> marks the handlers.</summary>
    public IReadOnlyList<NativeTableEntry> Rows { get; }

    /// <summary>"OneBit.Native" → "onebit_native", the library part of the handler structs' names.</summary>
    public string LibraryName => AssemblyName.ToLowerInvariant().Replace('.', '_');

    /// <summary>The CLR_RT_NativeAssemblyData object's name: g_CLR_AssemblyNative_ and the assembly name.</summary>
    public string TableName => "g_CLR_AssemblyNative_" + AssemblyName.Replace('.', '_');

    public string StructName(NativeTableEntry row) => "Library_" + LibraryName + "_" + row.ClassName;

    /// <exception cref="InvalidDataException">the assembly has no native method or no AssemblyNativeVersion, or the .pe
    /// writer left out a method so that the table's order would not give the header's checksum</exception>
    public static NativeStubs FromAssembly(string assemblyPath, PeWriterOptions? options = null) =>
        PeWriter.Build(assemblyPath, options, builder =>
        {
            byte[] pe = builder.Build().Bytes;
            PeModel model = builder.Model;
            uint checksum = BitConverter.ToUInt32(pe, AssemblyHeader.NativeChecksumOffset);
            // The .pe's methods (after minimisation) type by type; methods of types without stubs (delegates) stay NULL.
            var stubTypes = new HashSet<TypeDefinition>(model.Types.Where(t => NativeMethodsChecksum.Entries(model, new[] { t }).Any()));
            var covered = NativeMethodsChecksum.Entries(model, model.Types).ToDictionary(e => e.Method);
            var rows = model.Methods.Select(m => covered.TryGetValue(m, out var e) ? e
                : new NativeTableEntry(m, NativeMethodsChecksum.ClassName(m.DeclaringType), NativeMethodsChecksum.MethodName(m), false)).ToList();
            string name = model.AssemblyName;
            if (!rows.Any(r => r.Native))
            {
                throw new InvalidDataException($"{assemblyPath}: assembly {name} has no extern method, so no native table");
            }

            uint fromRows = NativeMethodsChecksum.Of(name, rows.Where(r => stubTypes.Contains(r.Method.DeclaringType))
                .Select(r => r.Native ? (r.ClassName, r.MethodName) : ((string, string)?)null));
            if (fromRows != checksum)
            {
                throw new InvalidDataException($"{assemblyPath}: the .pe's method rows give native checksum 0x{fromRows:X8}, its header 0x{checksum:X8}: " +
                    "the .pe writer left out methods of a type with natives (make them reachable, e.g. public), so no table could match");
            }

            return new NativeStubs(name, checksum, ReadNativeVersion(builder.Model.Module.Assembly, assemblyPath), rows);
        });

    private static Version ReadNativeVersion(AssemblyDefinition assembly, string path)
    {
        var attribute = assembly.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == NativeVersionAttribute);
        if (attribute == null || attribute.ConstructorArguments.Count != 1 || attribute.ConstructorArguments[0].Value is not string text ||
            !Version.TryParse(text, out var version))
        {
            throw new InvalidDataException($"{path}: no [assembly: AssemblyNativeVersion(\"major.minor.build.revision\")]: nanoCLR's table carries that version");
        }

        return version;
    }

    /// <summary>The header: the checksum as a macro, one struct per class with natives declaring their handlers, and
    /// the table object.</summary>
    public string Header(string fileName)
    {
        string guard = fileName.ToUpperInvariant().Replace('.', '_').Replace('-', '_');
        var sb = new StringBuilder();
        sb.Append(Banner());
        sb.AppendLine($"#ifndef {guard}");
        sb.AppendLine($"#define {guard}");
        sb.AppendLine();
        sb.AppendLine("#include <nanoCLR_Interop.h>");
        sb.AppendLine("#include <nanoCLR_Runtime.h>");
        sb.AppendLine();
        string prefix = AssemblyName.ToUpperInvariant().Replace('.', '_');
        sb.AppendLine($"#define {prefix}_ASSEMBLY \"{AssemblyName}\"");
        sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "#define {0}_CHECKSUM 0x{1:X8}u", prefix, Checksum));
        foreach (var group in Rows.Where(r => r.Native).GroupBy(r => r.ClassName))
        {
            sb.AppendLine();
            sb.AppendLine($"struct {StructName(group.First())}");
            sb.AppendLine("{");
            foreach (var row in group) sb.AppendLine($"    NANOCLR_NATIVE_DECLARE({row.MethodName});");
            sb.AppendLine("};");
        }

        sb.AppendLine();
        sb.AppendLine($"extern const CLR_RT_NativeAssemblyData {TableName};");
        sb.AppendLine();
        sb.AppendLine($"#endif // {guard}");
        return sb.ToString();
    }

    /// <summary>The table: one handler or nullptr per .pe method, then the CLR_RT_NativeAssemblyData.</summary>
    public string Table(string headerFileName)
    {
        var sb = new StringBuilder();
        sb.Append(Banner());
        sb.AppendLine($"#include \"{headerFileName}\"");
        sb.AppendLine();
        sb.AppendLine("static const CLR_RT_MethodHandler method_lookup[] = {");
        for (int i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            string entry = row.Native ? $"{StructName(row)}::{row.MethodName}," : "nullptr,";
            sb.AppendLine($"    {entry,-40} // {i}: {row.Method.DeclaringType.FullName}::{row.Method.Name}");
        }

        sb.AppendLine("};");
        sb.AppendLine();
        sb.AppendLine($"const CLR_RT_NativeAssemblyData {TableName} = {{");
        sb.AppendLine($"    \"{AssemblyName}\",");
        sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "    0x{0:X8},", Checksum));
        sb.AppendLine("    method_lookup,");
        sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "    {{{0}, {1}, {2}, {3}}},", NativeVersion.Major, NativeVersion.Minor,
            Math.Max(NativeVersion.Build, 0), Math.Max(NativeVersion.Revision, 0)));
        sb.AppendLine("};");
        return sb.ToString();
    }

    private string Banner() =>
        $"// Generated from {AssemblyName}.dll by host-tools/OneBit.PeWriter/NativeStubs.cs (`OneBit.BenchImage interop-stubs`):\n" +
        "// do not edit. nanoCLR loads the assembly only when its native-methods checksum equals this table's, and calls\n" +
        "// row i for the .pe's method i.\n\n";
}
