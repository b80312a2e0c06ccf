using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using Mono.Cecil.Cil;

namespace OneBit.PeWriter;

/// <summary>
/// Decodes a stable-line .pe back into records (nanoCLR_Types.h layouts), for checks and
/// diagnostics: string lookup, every fixed-size table, and a walk of each method body
/// that must land exactly on its exception handler table.
/// </summary>
public sealed class PeReader
{
    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .GroupBy(o => (ushort)o.Value)
        .ToDictionary(g => g.Key, g => g.First());

    public PeReader(byte[] image)
    {
        Layout = PeLayout.Parse(image);
        Image = image;
    }

    public PeLayout Layout { get; }

    public byte[] Image { get; }

    public string String(ushort id)
    {
        if (id >= StringTable.FirstWellKnownId)
        {
            return WellKnownStrings.TryGetString(id) ?? throw new InvalidDataException($"ROM string id 0x{id:X4} unknown");
        }

        var table = Layout.TableBytes(PeTable.Strings);
        if (id >= table.Length)
        {
            throw new InvalidDataException($"string id 0x{id:X4} outside the string table ({table.Length} bytes)");
        }

        int end = table[id..].IndexOf((byte)0);
        return Encoding.UTF8.GetString(table.Slice(id, end));
    }

    private ushort U16(PeTable table, int row, int at) =>
        BinaryPrimitives.ReadUInt16LittleEndian(Layout.TableBytes(table)[(row * PeLayout.RecordSize(table) + at)..]);

    private uint U32(PeTable table, int row, int at) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Layout.TableBytes(table)[(row * PeLayout.RecordSize(table) + at)..]);

    private byte U8(PeTable table, int row, int at) => Layout.TableBytes(table)[row * PeLayout.RecordSize(table) + at];

    public IEnumerable<(string Name, Version Version)> AssemblyRefs() =>
        Enumerable.Range(0, Layout.Count(PeTable.AssemblyRef)).Select(i => (
            String(U16(PeTable.AssemblyRef, i, 0)),
            new Version(U16(PeTable.AssemblyRef, i, 4), U16(PeTable.AssemblyRef, i, 6), U16(PeTable.AssemblyRef, i, 8), U16(PeTable.AssemblyRef, i, 10))));

    public IEnumerable<(string Name, string Namespace, ushort Scope)> TypeRefs() =>
        Enumerable.Range(0, Layout.Count(PeTable.TypeRef)).Select(i => (
            String(U16(PeTable.TypeRef, i, 0)), String(U16(PeTable.TypeRef, i, 2)), U16(PeTable.TypeRef, i, 4)));

    public IEnumerable<(string Name, ushort Container, ushort Signature)> MemberRefs(PeTable table) =>
        Enumerable.Range(0, Layout.Count(table)).Select(i => (String(U16(table, i, 0)), U16(table, i, 2), U16(table, i, 4)));

    public sealed record TypeDefRecord(string Name, string Namespace, ushort Extends, ushort Enclosing, ushort Interfaces,
        ushort FirstMethod, byte VirtualMethods, byte InstanceMethods, byte StaticMethods, byte DataType,
        ushort FirstStaticField, ushort FirstInstanceField, byte StaticFields, byte InstanceFields, ushort Flags);

    public IEnumerable<TypeDefRecord> TypeDefs() =>
        Enumerable.Range(0, Layout.Count(PeTable.TypeDef)).Select(i => new TypeDefRecord(
            String(U16(PeTable.TypeDef, i, 0)), String(U16(PeTable.TypeDef, i, 2)), U16(PeTable.TypeDef, i, 4),
            U16(PeTable.TypeDef, i, 6), U16(PeTable.TypeDef, i, 8), U16(PeTable.TypeDef, i, 10),
            U8(PeTable.TypeDef, i, 12), U8(PeTable.TypeDef, i, 13), U8(PeTable.TypeDef, i, 14), U8(PeTable.TypeDef, i, 15),
            U16(PeTable.TypeDef, i, 16), U16(PeTable.TypeDef, i, 18), U8(PeTable.TypeDef, i, 20), U8(PeTable.TypeDef, i, 21),
            U16(PeTable.TypeDef, i, 22)));

    public IEnumerable<(string Name, ushort Signature, ushort Default, ushort Flags)> FieldDefs() =>
        Enumerable.Range(0, Layout.Count(PeTable.FieldDef)).Select(i => (
            String(U16(PeTable.FieldDef, i, 0)), U16(PeTable.FieldDef, i, 2), U16(PeTable.FieldDef, i, 4), U16(PeTable.FieldDef, i, 6)));

    public sealed record MethodDefRecord(string Name, ushort Rva, uint Flags, byte ReturnType, byte Args, byte Locals, byte Stack, ushort LocalsSignature, ushort Signature);

    public IEnumerable<MethodDefRecord> MethodDefs() =>
        Enumerable.Range(0, Layout.Count(PeTable.MethodDef)).Select(i => new MethodDefRecord(
            String(U16(PeTable.MethodDef, i, 0)), U16(PeTable.MethodDef, i, 2), U32(PeTable.MethodDef, i, 4),
            U8(PeTable.MethodDef, i, 8), U8(PeTable.MethodDef, i, 9), U8(PeTable.MethodDef, i, 10), U8(PeTable.MethodDef, i, 11),
            U16(PeTable.MethodDef, i, 12), U16(PeTable.MethodDef, i, 14)));

    public IEnumerable<(ushort OwnerTable, ushort Owner, ushort Constructor, ushort Data)> Attributes() =>
        Enumerable.Range(0, Layout.Count(PeTable.Attributes)).Select(i => (
            U16(PeTable.Attributes, i, 0), U16(PeTable.Attributes, i, 2), U16(PeTable.Attributes, i, 4), U16(PeTable.Attributes, i, 6)));

    public IEnumerable<(short Id, byte Kind, byte Padding, uint Offset)> Resources() =>
        Enumerable.Range(0, Layout.Count(PeTable.Resources)).Select(i => (
            (short)U16(PeTable.Resources, i, 0), U8(PeTable.Resources, i, 2), U8(PeTable.Resources, i, 3), U32(PeTable.Resources, i, 4)));

    public IEnumerable<(uint Version, uint HeaderSize, uint ResourceHeaderSize, uint Count, string Name, uint Offset)> ResourceFiles() =>
        Enumerable.Range(0, Layout.Count(PeTable.ResourcesFiles)).Select(i => (
            U32(PeTable.ResourcesFiles, i, 0), U32(PeTable.ResourcesFiles, i, 4), U32(PeTable.ResourcesFiles, i, 8),
            U32(PeTable.ResourcesFiles, i, 12), String(U16(PeTable.ResourcesFiles, i, 16)), U32(PeTable.ResourcesFiles, i, 20)));

    public sealed record Instruction(int Offset, OpCode OpCode, long Operand);

    /// <summary>
    /// Decodes the body at <paramref name="rva"/>: instructions with their nanoCLR operand
    /// widths, then the handler table whose count is the body's last byte.
    /// </summary>
    public (List<Instruction> Code, int Handlers) DecodeBody(ushort rva, int length, bool hasHandlers)
    {
        var table = Layout.TableBytes(PeTable.ByteCode).Slice(rva, length);
        int handlers = hasHandlers ? table[length - 1] : 0;
        int codeLength = hasHandlers ? length - 1 - 12 * handlers : length;
        var code = new List<Instruction>();
        int at = 0;
        while (at < codeLength)
        {
            int start = at;
            ushort value = table[at++];
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | table[at++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                throw new InvalidDataException($"unknown opcode 0x{value:X} at byte-code offset {rva + start}");
            }

            long operand = 0;
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                case OperandType.ShortInlineArg:
                    operand = table[at];
                    at += 1;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineVar:
                case OperandType.InlineArg:
                case OperandType.InlineString:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                    operand = BinaryPrimitives.ReadUInt16LittleEndian(table[at..]);
                    at += 2;
                    break;
                case OperandType.InlineI:
                case OperandType.ShortInlineR:
                case OperandType.InlineTok:
                    operand = BinaryPrimitives.ReadUInt32LittleEndian(table[at..]);
                    at += 4;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    operand = BinaryPrimitives.ReadInt64LittleEndian(table[at..]);
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    operand = table[at];
                    at += 1 + 2 * table[at];
                    break;
                default:
                    throw new InvalidDataException($"operand type {op.OperandType} cannot appear in nanoCLR byte code");
            }

            code.Add(new Instruction(start, op, operand));
        }

        if (at != codeLength)
        {
            throw new InvalidDataException($"method body at RVA {rva} overruns its code by {at - codeLength} bytes");
        }

        return (code, handlers);
    }

    /// <summary>Length of each method body, from the RVAs (bodies are contiguous in method order).</summary>
    public Dictionary<ushort, int> BodyLengths()
    {
        var rvas = MethodDefs().Select(m => m.Rva).Where(r => r != 0xFFFF).Distinct().OrderBy(r => r).ToList();
        var lengths = new Dictionary<ushort, int>();
        for (int i = 0; i < rvas.Count; i++)
        {
            int end = i + 1 < rvas.Count ? rvas[i + 1] : Layout.SizeOf(PeTable.ByteCode);
            lengths[rvas[i]] = end - rvas[i];
        }

        return lengths;
    }
}
