using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OneBit.PeWriter;

/// <summary>
/// Rewrites one IL method body into nanoCLR byte code (the PE file format doc page and
/// nanoCLR_Types.h): opcodes keep their IL encoding, but metadata tokens, string ids
/// and long branch offsets shrink to 16 bits, a switch count to 8 bits, and all branch
/// offsets are recomputed for the shorter code. The exception handler table
/// (CLR_RECORD_EH, 12 bytes each) and a one-byte handler count follow the code.
/// </summary>
public sealed class ByteCodeRewriter
{
    private readonly PeModel _model;

    public ByteCodeRewriter(PeModel model)
    {
        _model = model;
    }

    /// <summary>Offset of every instruction in the rewritten code, by IL offset.</summary>
    public static Dictionary<int, int> NanoOffsets(MethodBody body)
    {
        var map = new Dictionary<int, int>();
        int delta = 0;
        foreach (var i in body.Instructions)
        {
            map[i.Offset] = i.Offset + delta;
            switch (i.OpCode.OperandType)
            {
                case OperandType.InlineSwitch:
                    // count: 4 -> 1 byte, each target: 4 -> 2 bytes
                    delta -= 3 + 2 * ((Instruction[])i.Operand).Length;
                    break;
                case OperandType.InlineString:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineBrTarget:
                    delta -= 2;
                    break;
            }
        }

        return map;
    }

    /// <summary>Collects the ldstr literals in order, as the size pre-pass does.</summary>
    public static IEnumerable<string> Literals(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            yield break;
        }

        foreach (var i in method.Body.Instructions)
        {
            if (i.OpCode.OperandType == OperandType.InlineString)
            {
                yield return (string)i.Operand;
            }
        }
    }

    public byte[] Rewrite(MethodDefinition method, StringTable strings)
    {
        if (!method.HasBody)
        {
            return Array.Empty<byte>();
        }

        var body = method.Body;
        var offsets = NanoOffsets(body);
        var b = new ByteBuffer();
        foreach (var i in body.Instructions)
        {
            int at = offsets[i.Offset];
            var op = i.OpCode;
            if (op.Size == 1)
            {
                b.U8(op.Op2);
            }
            else
            {
                b.U8(op.Op1);
                b.U8(op.Op2);
            }

            WriteOperand(method, i, at, offsets, strings, b);
        }

        if (body.HasExceptionHandlers)
        {
            var lastOffset = offsets[body.Instructions[^1].Offset];
            foreach (var h in body.ExceptionHandlers.OrderBy(h => h.HandlerStart.Offset))
            {
                switch (h.HandlerType)
                {
                    case ExceptionHandlerType.Catch:
                        b.U16(0x0000);
                        b.U16(TypeToken(h.CatchType, 0x8000));
                        break;
                    case ExceptionHandlerType.Fault:
                        b.U16(0x0001);
                        b.U16(0x0000);
                        break;
                    case ExceptionHandlerType.Finally:
                        b.U16(0x0002);
                        b.U16(0x0000);
                        break;
                    case ExceptionHandlerType.Filter:
                        b.U16(0x0003);
                        b.U16((ushort)offsets[h.FilterStart.Offset]);
                        break;
                }

                b.U16((ushort)offsets[h.TryStart.Offset]);
                b.U16((ushort)offsets[h.TryEnd.Offset]);
                b.U16((ushort)offsets[h.HandlerStart.Offset]);
                b.U16((ushort)(h.HandlerEnd == null ? lastOffset : offsets[h.HandlerEnd.Offset]));
            }

            b.U8((byte)body.ExceptionHandlers.Count);
        }

        return b.ToArray();
    }

    private void WriteOperand(MethodDefinition method, Instruction i, int at, Dictionary<int, int> offsets, StringTable strings, ByteBuffer b)
    {
        var op = i.OpCode;
        switch (op.OperandType)
        {
            case OperandType.InlineNone:
                return;
            case OperandType.InlineSwitch:
            {
                var targets = (Instruction[])i.Operand;
                if (targets.Length > byte.MaxValue)
                {
                    throw new PeLimitException(method.FullName, $"switch with {targets.Length} targets: nanoCLR stores the count in one byte");
                }

                b.U8((byte)targets.Length);
                int origin = at + op.Size + 2 * targets.Length + 1;
                foreach (var t in targets)
                {
                    b.U16((ushort)(short)(offsets[t.Offset] - origin));
                }

                return;
            }

            case OperandType.ShortInlineBrTarget:
                b.I8((sbyte)(offsets[((Instruction)i.Operand).Offset] - (at + op.Size + 1)));
                return;
            case OperandType.InlineBrTarget:
            {
                int distance = offsets[((Instruction)i.Operand).Offset] - (at + op.Size + 2);
                if (distance < short.MinValue || distance > short.MaxValue)
                {
                    throw new PeLimitException(method.FullName, "branch distance does not fit the 16-bit offsets of nanoCLR byte code");
                }

                b.U16((ushort)(short)distance);
                return;
            }

            case OperandType.ShortInlineVar:
                b.U8((byte)((VariableDefinition)i.Operand).Index);
                return;
            case OperandType.ShortInlineArg:
                b.U8((byte)ArgIndex(method, (ParameterDefinition)i.Operand));
                return;
            case OperandType.InlineVar:
                b.U16((ushort)((VariableDefinition)i.Operand).Index);
                return;
            case OperandType.InlineArg:
                b.U16((ushort)ArgIndex(method, (ParameterDefinition)i.Operand));
                return;
            case OperandType.InlineSig:
                throw new PeLimitException(method.FullName, "calli (function pointer call) is not supported by nanoCLR");
            case OperandType.ShortInlineI:
                if (op == OpCodes.Ldc_I4_S)
                {
                    b.I8((sbyte)i.Operand);
                }
                else
                {
                    b.U8((byte)i.Operand);
                }

                return;
            case OperandType.InlineI:
                b.U32((uint)(int)i.Operand);
                return;
            case OperandType.InlineI8:
                b.U64((ulong)(long)i.Operand);
                return;
            case OperandType.ShortInlineR:
                b.U32(BitConverter.SingleToUInt32Bits((float)i.Operand));
                return;
            case OperandType.InlineR:
                b.U64(BitConverter.DoubleToUInt64Bits((double)i.Operand));
                return;
            case OperandType.InlineString:
                b.U16(strings.GetOrCreate((string)i.Operand));
                return;
            case OperandType.InlineMethod:
                b.U16(_model.MethodToken((MethodReference)i.Operand));
                return;
            case OperandType.InlineType:
                b.U16(TypeToken((TypeReference)i.Operand, 0x4000));
                return;
            case OperandType.InlineField:
                b.U16(_model.FieldToken((FieldReference)i.Operand));
                return;
            case OperandType.InlineTok:
                b.U32(FullToken((IMetadataTokenProvider)i.Operand));
                return;
            default:
                throw new PeLimitException(method.FullName, $"operand type {op.OperandType} of {op.Name} has no nanoCLR encoding");
        }
    }

    private static int ArgIndex(MethodDefinition method, ParameterDefinition p)
    {
        if (method.HasThis)
        {
            return p == method.Body.ThisParameter ? 0 : p.Index + 1;
        }

        return p.Index;
    }

    /// <summary>
    /// Type operand: TypeSpec rows are flagged 0x8000, TypeRef rows with
    /// <paramref name="refFlag"/> (0x4000 in code, 0x8000 in handler tables), TypeDef rows bare.
    /// </summary>
    public ushort TypeToken(TypeReference type, ushort refFlag)
    {
        if (type is TypeSpecification)
        {
            return (ushort)(0x8000 | _model.TypeSpecs.GetOrCreate(type));
        }

        if (_model.TryTypeRef(type, out var id))
        {
            return (ushort)(id | refFlag);
        }

        return _model.TryTypeDef(PeModel.SafeResolve(type), out id) ? id : (ushort)0x8000;
    }

    /// <summary>ldtoken operand: full 32-bit token with the nanoCLR table in the top byte.</summary>
    private uint FullToken(IMetadataTokenProvider provider)
    {
        ushort id;
        switch (provider.MetadataToken.TokenType)
        {
            case TokenType.TypeRef:
                _model.TryTypeRef((TypeReference)provider, out id);
                return 0x01000000u | id;
            case TokenType.TypeDef:
                _model.TryTypeDef((TypeDefinition)provider, out id);
                return 0x04000000u | id;
            case TokenType.TypeSpec:
                return 0x08000000u | _model.TypeSpecs.GetOrCreate((TypeReference)provider);
            case TokenType.Field:
                _model.TryFieldDef((FieldDefinition)provider, out id);
                return 0x05000000u | id;
            default:
                return 0;
        }
    }

    /// <summary>
    /// CLR_RECORD_METHODDEF::lengthEvalStack, estimated by walking the code once in order
    /// and carrying the depth to branch targets (same estimate as the official tool).
    /// </summary>
    public static byte StackDepth(MethodBody? body)
    {
        if (body == null)
        {
            return 0;
        }

        var atTarget = new Dictionary<int, int>();
        int size = 0;
        int max = 0;
        foreach (var i in body.Instructions)
        {
            if (atTarget.TryGetValue(i.Offset, out var corrected))
            {
                size = corrected;
            }

            switch (i.OpCode.Code)
            {
                case Code.Throw:
                case Code.Endfinally:
                case Code.Endfilter:
                case Code.Leave_S:
                case Code.Br_S:
                case Code.Leave:
                    size = 0;
                    continue;
                case Code.Newobj:
                    size -= ((MethodReference)i.Operand).Parameters.Count;
                    break;
                case Code.Callvirt:
                case Code.Call:
                {
                    var m = (MethodReference)i.Operand;
                    if (m.HasThis)
                    {
                        size--;
                    }

                    size -= m.Parameters.Count;
                    if (m.ReturnType.FullName != "System.Void")
                    {
                        size++;
                    }

                    break;
                }
            }

            size += Pushes(i.OpCode.StackBehaviourPush);
            size -= Pops(i.OpCode.StackBehaviourPop);

            if (i.OpCode.OperandType == OperandType.ShortInlineBrTarget || i.OpCode.OperandType == OperandType.InlineBrTarget)
            {
                var target = ((Instruction)i.Operand).Offset;
                atTarget.TryGetValue(target, out var known);
                atTarget[target] = Math.Max(known, size);
            }

            max = Math.Max(max, size);
        }

        return (byte)max;
    }

    private static int Pushes(StackBehaviour s) => s switch
    {
        StackBehaviour.Push1 or StackBehaviour.Pushi or StackBehaviour.Pushi8 or StackBehaviour.Pushr4
            or StackBehaviour.Pushr8 or StackBehaviour.Pushref => 1,
        StackBehaviour.Push1_push1 => 2,
        _ => 0,
    };

    private static int Pops(StackBehaviour s) => s switch
    {
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
            or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1
            or StackBehaviour.Popref_popi => 2,
        StackBehaviour.Popi_popi_popi or StackBehaviour.Popref_popi_popi or StackBehaviour.Popref_popi_popi8
            or StackBehaviour.Popref_popi_popr4 or StackBehaviour.Popref_popi_popr8
            or StackBehaviour.Popref_popi_popref => 3,
        _ => 0,
    };
}
