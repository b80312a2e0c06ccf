using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace OneBit.PeWriter;

/// <summary>
/// Builds the signature blobs of TBL_Signatures: field, method, locals, interface list,
/// field default value and custom attribute blobs. Encoding follows CLR_DataType and the
/// compressed type tokens of nanoCLR_Types.h; a type token's low two bits select
/// TypeDef (0), TypeRef (1) or TypeSpec (2).
/// </summary>
public sealed class SignatureEncoder
{
    private readonly PeModel _model;

    public SignatureEncoder(PeModel model)
    {
        _model = model;
    }

    public ushort Field(FieldReference field)
    {
        var b = new ByteBuffer();
        b.U8(0x06); // IMAGE_CEE_CS_CALLCONV_FIELD
        TypeInfo(field.FieldType, b);
        return _model.Signatures.GetOrCreate(b.ToArray(), field.FullName);
    }

    public ushort Method(IMethodSignature method, string owner)
    {
        return _model.Signatures.GetOrCreate(MethodBlob(method), owner);
    }

    public byte[] MethodBlob(IMethodSignature method)
    {
        var b = new ByteBuffer();
        byte callingConvention = method.HasThis ? (byte)0x20 : (byte)0x00;
        callingConvention |= (byte)method.CallingConvention;
        b.U8(callingConvention);
        if (method.CallingConvention == MethodCallingConvention.Generic)
        {
            b.U8((byte)((MethodReference)method).GenericParameters.Count);
        }

        b.U8((byte)method.Parameters.Count);
        TypeInfo(method.ReturnType, b);
        foreach (var p in method.Parameters)
        {
            TypeInfo(p.ParameterType, b);
        }

        return b.ToArray();
    }

    public ushort Locals(Collection<VariableDefinition>? variables, string owner)
    {
        if (variables == null || variables.Count == 0)
        {
            return SignatureTable.None;
        }

        var b = new ByteBuffer();
        foreach (var v in variables)
        {
            TypeInfo(v.VariableType, b);
        }

        return _model.Signatures.GetOrCreate(b.ToArray(), owner);
    }

    public ushort Interfaces(IReadOnlyList<InterfaceImplementation> interfaces, string owner)
    {
        if (interfaces.Count == 0)
        {
            return SignatureTable.None;
        }

        var b = new ByteBuffer();
        b.U8((byte)interfaces.Count);
        foreach (var i in interfaces)
        {
            SubTypeInfo(i.InterfaceType, b);
        }

        return _model.Signatures.GetOrCreate(b.ToArray(), owner);
    }

    /// <summary>Static field initial data (RVA fields): 16-bit length then the raw bytes.</summary>
    public ushort DefaultValue(byte[]? data, string owner)
    {
        if (data == null || data.Length == 0)
        {
            return SignatureTable.None;
        }

        var b = new ByteBuffer();
        b.U16((ushort)data.Length);
        b.Bytes(data);
        return _model.Signatures.GetOrCreate(b.ToArray(), owner);
    }

    public ushort TypeSpec(TypeReference type)
    {
        var b = new ByteBuffer();
        TypeInfo(type, b);
        return _model.Signatures.GetOrCreate(b.ToArray(), type.FullName);
    }

    /// <summary>
    /// Custom attribute blob: constructor arguments, a 16-bit named-argument count, then
    /// fields and properties each sorted by name (SERIALIZATION_TYPE_FIELD 0x53 / PROPERTY 0x54).
    /// </summary>
    public ushort Attribute(CustomAttribute attribute, string owner)
    {
        var b = new ByteBuffer();
        foreach (var argument in attribute.ConstructorArguments)
        {
            AttributeValue(argument, b, owner);
        }

        b.U16((ushort)(attribute.Properties.Count + attribute.Fields.Count));
        foreach (var named in attribute.Fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            b.U8(0x53);
            b.U16(_model.Strings.GetOrCreate(named.Name));
            AttributeValue(named.Argument, b, owner);
        }

        foreach (var named in attribute.Properties.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            b.U8(0x54);
            b.U16(_model.Strings.GetOrCreate(named.Name));
            AttributeValue(named.Argument, b, owner);
        }

        return _model.Signatures.GetOrCreate(b.ToArray(), owner);
    }

    private void AttributeValue(CustomAttributeArgument argument, ByteBuffer b, string owner)
    {
        if (NanoDataType.Primitives.TryGetValue(argument.Type.FullName, out var dataType))
        {
            // ELEMENT_TYPE_* (ECMA-335 II.23.1.16) tag, then the value
            switch (dataType)
            {
                case NanoDataType.Boolean: b.U8(0x02); b.U8((bool)argument.Value ? (byte)1 : (byte)0); break;
                case NanoDataType.I1: b.U8(0x04); b.I8((sbyte)argument.Value); break;
                case NanoDataType.U1: b.U8(0x05); b.U8((byte)argument.Value); break;
                case NanoDataType.I2: b.U8(0x06); b.U16((ushort)(short)argument.Value); break;
                case NanoDataType.U2: b.U8(0x07); b.U16((ushort)argument.Value); break;
                case NanoDataType.I4: b.U8(0x08); b.U32((uint)(int)argument.Value); break;
                case NanoDataType.U4: b.U8(0x09); b.U32((uint)argument.Value); break;
                case NanoDataType.I8: b.U8(0x0A); b.U64((ulong)(long)argument.Value); break;
                case NanoDataType.U8: b.U8(0x0B); b.U64((ulong)argument.Value); break;
                case NanoDataType.R4: b.U8(0x0C); b.U32(BitConverter.SingleToUInt32Bits((float)argument.Value)); break;
                case NanoDataType.R8: b.U8(0x0D); b.U64(BitConverter.DoubleToUInt64Bits((double)argument.Value)); break;
                case NanoDataType.Char:
                    // the official tool writes chars through BinaryWriter.Write(char), i.e. UTF-8
                    b.U8(0x03);
                    b.Bytes(Encoding.UTF8.GetBytes(new[] { (char)argument.Value }));
                    break;
                case NanoDataType.String:
                    b.U8(0x0E);
                    b.U16(_model.Strings.GetOrCreate((string)argument.Value));
                    break;
                default:
                    throw new PeLimitException(owner, $"attribute argument of type {argument.Type.FullName} cannot be encoded");
            }
        }

        if (argument.Type.IsArray && argument.Type.GetElementType().FullName == "System.Object")
        {
            var items = (CustomAttributeArgument[])argument.Value;
            b.U8((byte)items.Length);
            foreach (var item in items)
            {
                AttributeValue((CustomAttributeArgument)item.Value, b, owner);
            }
        }

        if (argument.Type.FullName == "System.Type")
        {
            b.U8(0x0E);
            b.U16(_model.Strings.GetOrCreate(((TypeReference)argument.Value).FullName));
        }
    }

    /// <summary>A type inside a signature; by-ref is written as BYREF then the element.</summary>
    public void TypeInfo(TypeReference type, ByteBuffer b)
    {
        if (type.IsOptionalModifier)
        {
            b.U8(0x00);
        }

        if (type is ByReferenceType byRef)
        {
            b.U8(NanoDataType.ByRef);
            DataType(byRef.ElementType, b, true);
        }
        else
        {
            DataType(type, b, true);
        }
    }

    /// <summary>
    /// One CLR_DataType, optionally followed by the type token for CLASS/VALUETYPE and the
    /// element for SZARRAY. Types the stable format cannot name encode as 0x00, as the
    /// official tool does; <see cref="PeLimits"/> refuses the ones that matter first.
    /// </summary>
    public void DataType(TypeReference type, ByteBuffer b, bool withSubType)
    {
        if (NanoDataType.Primitives.TryGetValue(type.FullName, out var primitive))
        {
            b.U8(primitive);
            return;
        }

        if (type.MetadataType == MetadataType.Class)
        {
            b.U8(NanoDataType.Class);
            if (withSubType)
            {
                SubTypeInfo(type, b);
            }

            return;
        }

        if (type.MetadataType == MetadataType.ValueType)
        {
            b.U8(NanoDataType.ValueType);
            if (withSubType)
            {
                SubTypeInfo(type, b);
            }

            return;
        }

        if (type.MetadataType == MetadataType.Var)
        {
            // the official tool tags a type's generic parameter as MVAR followed by its position
            b.U8(NanoDataType.MVar);
            if (withSubType)
            {
                b.U8((byte)((GenericParameter)type).Position);
            }

            return;
        }

        if (type.IsArray)
        {
            b.U8(NanoDataType.SzArray);
            if (withSubType)
            {
                DataType(((ArrayType)type).ElementType, b, true);
            }

            return;
        }

        if (type.IsByReference)
        {
            b.U8(NanoDataType.ByRef);
            if (withSubType)
            {
                var resolved = PeModel.SafeResolve(type);
                if (resolved != null)
                {
                    DataType(resolved, b, false);
                }
            }

            return;
        }

        b.U8(0x00);
    }

    private void SubTypeInfo(TypeReference type, ByteBuffer b)
    {
        if (type is TypeSpecification)
        {
            b.CompressedToken(((uint)_model.TypeSpecs.GetOrCreate(type) << 2) | 0x02);
        }
        else if (_model.TryTypeRef(type, out var refId))
        {
            b.CompressedToken(((uint)refId << 2) | 0x01);
        }
        else if (_model.TryTypeDef(PeModel.SafeResolve(type), out var defId))
        {
            b.CompressedToken((uint)defId << 2);
        }
        else
        {
            throw new PeLimitException(type.FullName, "type is neither defined nor referenced by this assembly");
        }
    }
}
