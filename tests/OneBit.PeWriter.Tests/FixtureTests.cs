using Mono.Cecil;
using OneBit.PeWriter;
using Xunit;

namespace OneBit.PeWriter.Tests;

/// <summary>
/// Structural checks on a small C# assembly compiled against the nano mscorlib
/// (Fixture/), which exercises the tables that are empty in mscorlib itself:
/// assembly refs, type refs and member refs.
/// </summary>
public class FixtureTests
{
    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "fixture", "OneBit.PeWriter.Fixture.dll");

    private static PeImage Compile()
    {
        var options = new PeWriterOptions();
        options.ReferenceDirectories.Add(OracleTests.OracleDir);
        return PeWriter.Compile(FixturePath, options);
    }

    [Fact]
    public void Header_is_consistent_and_crcs_verify()
    {
        var image = Compile().Bytes;
        var layout = PeLayout.Parse(image);
        Assert.Equal("NFMRK1", layout.Marker);
        Assert.Equal((uint)image.Length, layout.Starts[(int)PeTable.EndOfAssembly]);
        Assert.Equal((uint)AssemblyHeader.Size, layout.Starts[0]);
        for (int t = 0; t < 15; t++)
        {
            Assert.Equal(0u, layout.Starts[t] % 4);
            Assert.True(layout.Starts[t + 1] >= layout.Starts[t]);
            Assert.InRange(layout.Paddings[t], 0, 3);
        }

        Assert.Equal(Crc32Mpeg2.Compute(image.AsSpan(AssemblyHeader.Size)), layout.AssemblyCrc);
        var header = image.AsSpan(0, AssemblyHeader.Size).ToArray();
        Array.Clear(header, AssemblyHeader.HeaderCrcOffset, 4);
        Assert.Equal(Crc32Mpeg2.Compute(header), layout.HeaderCrc);
        Assert.Equal(new Version(1, 2, 3, 4), new Version(
            BitConverter.ToUInt16(image, 0x1C), BitConverter.ToUInt16(image, 0x1E), BitConverter.ToUInt16(image, 0x20), BitConverter.ToUInt16(image, 0x22)));
        Assert.Equal("OneBit.PeWriter.Fixture", new PeReader(image).String(layout.NameStringId));
    }

    [Fact]
    public void Assembly_and_type_references_point_at_nano_mscorlib()
    {
        var reader = new PeReader(Compile().Bytes);
        var asmRefs = reader.AssemblyRefs().ToList();
        var asmRef = Assert.Single(asmRefs);
        Assert.Equal("mscorlib", asmRef.Name);
        using var corlib = ModuleDefinition.ReadModule(Path.Combine(OracleTests.OracleDir, "mscorlib.dll"));
        Assert.Equal(corlib.Assembly.Name.Version, asmRef.Version);

        var typeRefs = reader.TypeRefs().ToList();
        Assert.Contains(typeRefs, t => t.Namespace == "System" && t.Name == "Object");
        Assert.Contains(typeRefs, t => t.Namespace == "System" && t.Name == "InvalidOperationException");
        Assert.Contains(typeRefs, t => t.Namespace == "System" && t.Name == "IndexOutOfRangeException");
        Assert.All(typeRefs, t => Assert.Equal(0, t.Scope)); // all top level, scope = assembly ref 0

        using var module = ModuleDefinition.ReadModule(FixturePath);
        var allRefs = module.GetTypeReferences().Select(t => t.Namespace + "." + t.Name).ToHashSet();
        Assert.All(typeRefs, t => Assert.Contains(t.Namespace + "." + t.Name, allRefs));
        Assert.Equal(typeRefs.Count, typeRefs.Select(t => t.Namespace + "." + t.Name).Distinct().Count());

        // references only needed by compile-time attributes are dropped with them
        Assert.Contains("System.Diagnostics.DebuggableAttribute", allRefs);
        Assert.DoesNotContain(typeRefs, t => t.Name == "DebuggableAttribute" || t.Name == "AttributeUsageAttribute");

        var methodRefs = reader.MemberRefs(PeTable.MethodRef).ToList();
        Assert.Contains(methodRefs, m => m.Name == ".ctor");
        Assert.Contains(methodRefs, m => m.Name == "Concat");
        Assert.All(methodRefs, m => Assert.InRange(m.Container, 0, typeRefs.Count - 1));
        Assert.All(methodRefs, m => Assert.InRange(m.Signature, 0, reader.Layout.SizeOf(PeTable.Signatures) - 1));
    }

    [Fact]
    public void Empty_tables_stay_empty()
    {
        var layout = PeLayout.Parse(Compile().Bytes);
        Assert.Equal(0, layout.SizeOf(PeTable.Resources));
        Assert.Equal(0, layout.SizeOf(PeTable.ResourcesData));
        Assert.Equal(0, layout.SizeOf(PeTable.ResourcesFiles));
        Assert.Equal(0, layout.SizeOf(PeTable.FieldRef)); // the fixture reads no field of another assembly
    }

    [Fact]
    public void Type_field_and_method_tables_round_trip()
    {
        var pe = Compile();
        var reader = new PeReader(pe.Bytes);
        using var module = ModuleDefinition.ReadModule(FixturePath);
        var types = module.GetTypes().Where(t => t.FullName != "<Module>").ToList();

        var typeDefs = reader.TypeDefs().ToList();
        Assert.Equal(types.Count, typeDefs.Count);
        foreach (var t in types)
        {
            var row = typeDefs[(int)(pe.TokenMap[t.MetadataToken.ToUInt32()] & 0xFFFF)];
            Assert.Equal(t.Name, row.Name);
            Assert.Equal(t.Namespace, row.Namespace);
            Assert.Equal(t.Methods.Count(m => m.IsVirtual), row.VirtualMethods);
            Assert.Equal(t.Methods.Count(m => m.IsStatic), row.StaticMethods);
            Assert.Equal(t.Fields.Count(f => f.IsStatic && !f.HasConstant), row.StaticFields);
            Assert.Equal(t.Fields.Count(f => !f.IsStatic), row.InstanceFields);
            if (t.DeclaringType != null)
            {
                Assert.Equal(pe.TokenMap[t.DeclaringType.MetadataToken.ToUInt32()] & 0xFFFF, row.Enclosing);
            }
            else
            {
                Assert.Equal(0xFFFF, row.Enclosing);
            }
        }

        var square = typeDefs.Single(t => t.Name == "Square");
        Assert.NotEqual(0xFFFF, square.Interfaces);
        Assert.Equal(0x8000, square.Flags & 0x8000); // has attributes
        Assert.Equal(NanoDataType.U1, typeDefs.Single(t => t.Name == "Mode").DataType); // enum : byte
        Assert.Equal(NanoDataType.ValueType, typeDefs.Single(t => t.Name == "Point").DataType);

        var fields = reader.FieldDefs().ToList();
        var methods = reader.MethodDefs().ToList();
        foreach (var f in types.SelectMany(t => t.Fields).Where(f => !f.HasConstant))
        {
            Assert.Equal(f.Name, fields[(int)(pe.TokenMap[f.MetadataToken.ToUInt32()] & 0xFFFF)].Name);
        }

        // the static array initialiser's data field travels with its bytes as default value: 16-bit length + 12 bytes
        var data = Assert.Single(fields, f => f.Default != 0xFFFF);
        var blob = reader.Layout.TableBytes(PeTable.Signatures)[data.Default..];
        Assert.Equal(12, BitConverter.ToUInt16(blob[..2]));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (byte)i), blob[2..14].ToArray());
        foreach (var m in types.SelectMany(t => t.Methods))
        {
            var row = methods[(int)(pe.TokenMap[m.MetadataToken.ToUInt32()] & 0xFFFF)];
            Assert.Equal(m.Name, row.Name);
            Assert.Equal(m.Parameters.Count + (m.IsStatic ? 0 : 1), row.Args);
            Assert.Equal(m.HasBody, row.Rva != 0xFFFF);
        }

        var attribute = Assert.Single(reader.Attributes());
        Assert.Equal(4, attribute.OwnerTable);
        Assert.Equal("Square", typeDefs[attribute.Owner].Name);
    }

    [Fact]
    public void Byte_code_decodes_to_the_same_instruction_stream()
    {
        var pe = Compile();
        var reader = new PeReader(pe.Bytes);
        using var module = ModuleDefinition.ReadModule(FixturePath);
        var methods = reader.MethodDefs().ToList();
        var lengths = reader.BodyLengths();
        int decoded = 0;
        foreach (var m in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            var row = methods[(int)(pe.TokenMap[m.MetadataToken.ToUInt32()] & 0xFFFF)];
            var (code, handlers) = reader.DecodeBody(row.Rva, lengths[row.Rva], (row.Flags & 0x40000000) != 0);
            Assert.Equal(m.Body.Instructions.Select(i => i.OpCode.Code), code.Select(i => i.OpCode.Code));
            Assert.Equal(m.Body.ExceptionHandlers.Count, handlers);
            var offsets = ByteCodeRewriter.NanoOffsets(m.Body);
            Assert.Equal(m.Body.Instructions.Select(i => offsets[i.Offset]), code.Select(i => i.Offset));
            foreach (var (il, nano) in m.Body.Instructions.Zip(code))
            {
                if (il.OpCode.OperandType == Mono.Cecil.Cil.OperandType.InlineString)
                {
                    Assert.Equal((string)il.Operand, reader.String((ushort)nano.Operand));
                }

                if (il.OpCode.OperandType is Mono.Cecil.Cil.OperandType.ShortInlineBrTarget or Mono.Cecil.Cil.OperandType.InlineBrTarget)
                {
                    int width = il.OpCode.OperandType == Mono.Cecil.Cil.OperandType.InlineBrTarget ? 2 : 1;
                    long distance = width == 1 ? (sbyte)nano.Operand : (short)nano.Operand;
                    Assert.Equal(offsets[((Mono.Cecil.Cil.Instruction)il.Operand).Offset], nano.Offset + il.OpCode.Size + width + distance);
                }
            }

            decoded++;
        }

        Assert.True(decoded >= 15, $"only {decoded} bodies decoded");
        Assert.Contains(methods, m => m.Name == "Safe" && (m.Flags & 0x40000000) != 0);
    }

    [Fact]
    public void Mscorlib_byte_code_decodes_cleanly()
    {
        var bytes = File.ReadAllBytes(Path.Combine(OracleTests.OracleDir, "mscorlib.pe"));
        var reader = new PeReader(bytes);
        var lengths = reader.BodyLengths();
        int count = 0;
        foreach (var m in reader.MethodDefs().Where(m => m.Rva != 0xFFFF))
        {
            reader.DecodeBody(m.Rva, lengths[m.Rva], (m.Flags & 0x40000000) != 0);
            count++;
        }

        Assert.True(count > 300);
        Assert.Equal(reader.Layout.Count(PeTable.MethodDef), reader.MethodDefs().Count());
    }
}
