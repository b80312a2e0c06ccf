using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// Runs the whole pipeline for one module: collect rows, drop what is excluded or
/// unreachable, then emit the tables in CLR_TABLESENUM order. The order in which rows ask
/// the string and signature tables for ids follows the official metadata processor, since
/// both heaps are laid out in first-use order and the .pe must match it byte for byte.
/// </summary>
internal sealed class PeBuilder
{
    /// <summary>Compile-time or unsupported attributes never written to TBL_Attributes (metadata processor nanoTablesContext).</summary>
    private static readonly string[] DefaultIgnoredAttributes =
    {
        "System.Reflection.AssemblyFileVersionAttribute",
        "System.Runtime.InteropServices.ComVisibleAttribute",
        "System.Runtime.InteropServices.GuidAttribute",
        "System.ParamArrayAttribute",
        "System.SerializableAttribute",
        "System.NonSerializedAttribute",
        "System.Runtime.InteropServices.StructLayoutAttribute",
        "System.Runtime.InteropServices.LayoutKind",
        "System.Runtime.InteropServices.OutAttribute",
        "System.Runtime.CompilerServices.ExtensionAttribute",
        "System.Runtime.CompilerServices.MethodImplAttribute",
        "System.Runtime.CompilerServices.NullableAttribute",
        "System.Runtime.CompilerServices.NullableContextAttribute",
        "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
        "System.Runtime.CompilerServices.IndexerNameAttribute",
        "System.Runtime.CompilerServices.MethodImplOptions",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Reflection.FieldNoReflectionAttribute",
        "System.Diagnostics.DebuggableAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerBrowsableState",
        "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute",
        "System.Diagnostics.DebuggerDisplayAttribute",
        "System.AttributeUsageAttribute",
        "System.CLSCompliantAttribute",
        "System.FlagsAttribute",
        "System.ObsoleteAttribute",
        "System.Diagnostics.ConditionalAttribute",
        "System.ComponentModel.EditorBrowsableAttribute",
        "System.Reflection.DefaultMemberAttribute",
        "System.MTAThreadAttribute",
        "System.STAThreadAttribute",
    };

    /// <summary>Types the official tool always leaves out.</summary>
    private static readonly string[] DefaultExcluded =
    {
        "ThisAssembly",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
    };

    private readonly PeModel _model;
    private readonly PeWriterOptions _options;
    private readonly SignatureEncoder _sig;
    private readonly ByteCodeRewriter _code;
    private List<MemberReference> _memberRefs = new();
    private uint _nativeChecksum;

    public PeBuilder(ModuleDefinition module, PeWriterOptions options)
    {
        _model = new PeModel(module);
        _options = options;
        _sig = new SignatureEncoder(_model);
        _code = new ByteCodeRewriter(_model);
    }

    public PeModel Model => _model;

    public PeImage Build()
    {
        PeLimits.Check(_model.Module);
        Collect();
        var preliminary = PreliminaryStrings();
        var reach = new Reachability(_model, preliminary);
        reach.Run();
        Minimize(reach);
        RebuildStrings(reach);
        var bytes = Emit();
        return new PeImage(bytes, TokenMap(), IlMaps());
    }

    private Dictionary<uint, uint> TokenMap()
    {
        var map = new Dictionary<uint, uint>();
        for (int i = 0; i < _model.Types.Count; i++) map[_model.Types[i].MetadataToken.ToUInt32()] = 0x04000000u | (uint)i;
        for (int i = 0; i < _model.Fields.Count; i++) map[_model.Fields[i].MetadataToken.ToUInt32()] = 0x05000000u | (uint)i;
        for (int i = 0; i < _model.Methods.Count; i++) map[_model.Methods[i].MetadataToken.ToUInt32()] = 0x06000000u | (uint)i;
        return map;
    }

    private Dictionary<uint, IReadOnlyList<(int Il, int Nano)>> IlMaps()
    {
        var maps = new Dictionary<uint, IReadOnlyList<(int Il, int Nano)>>();
        foreach (var m in _model.Methods)
        {
            var list = new List<(int Il, int Nano)>();
            if (m.HasBody)
            {
                var offsets = ByteCodeRewriter.NanoOffsets(m.Body);
                int previousShift = 0;
                foreach (var i in m.Body.Instructions)
                {
                    int shift = offsets[i.Offset] - i.Offset;
                    if (shift != previousShift)
                    {
                        list.Add((i.Offset, offsets[i.Offset]));
                        previousShift = shift;
                    }
                }
            }

            maps[m.MetadataToken.ToUInt32()] = list;
        }

        return maps;
    }

    private void Collect()
    {
        var module = _model.Module;
        foreach (var e in DefaultExcluded.Concat(_options.ExcludedTypes))
        {
            _model.Excluded.Add(e);
        }

        foreach (var a in DefaultIgnoredAttributes)
        {
            _model.IgnoredAttributes.Add(a);
        }

        // assembly-level attributes of excluded types are also never written
        foreach (var a in module.Assembly.CustomAttributes)
        {
            var name = a.AttributeType.FullName;
            var declaring = a.AttributeType.DeclaringType?.FullName;
            if ((_model.Excluded.Contains(name) || (declaring != null && _model.Excluded.Contains(declaring))) &&
                !(_model.IgnoredAttributes.Contains(name) || (declaring != null && _model.IgnoredAttributes.Contains(declaring))))
            {
                _model.IgnoredAttributes.Add(name);
            }
        }

        foreach (var e in _model.Excluded)
        {
            _model.IgnoredAttributes.Add(e);
        }

        _model.AssemblyRefs = module.AssemblyReferences.ToList();
        _model.TypeRefs = module.GetTypeReferences().ToList();
        // member references are only kept when their declaring type can be named by a type reference
        // (or is primitive / generic), as in the official tool
        var typeRefNames = new HashSet<string>(_model.TypeRefs.Select(t => t.FullName), StringComparer.Ordinal);
        _memberRefs = module.GetMemberReferences()
            .Where(m => typeRefNames.Contains(m.DeclaringType.FullName) ||
                        m.DeclaringType.GetElementType().IsPrimitive ||
                        m.ContainsGenericParameter ||
                        m.DeclaringType.IsGenericInstance)
            .ToList();
        _model.FieldRefs = _memberRefs.OfType<FieldReference>().ToList();
        _model.MethodRefs = _memberRefs.OfType<MethodReference>().ToList();

        var comparer = _options.TypeNameComparer ?? NameCollation.Instance;
        _model.Types = TypeOrdering.Order(module, comparer);

        foreach (var t in _model.Types)
        {
            if (t.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ExcludeTypeAttribute"))
            {
                _model.Excluded.Add(t.FullName);
            }
        }

        _model.Fields = _model.Types.SelectMany(t => MethodOrder.OrderedFields(t.Fields.Where(f => !f.HasConstant))).ToList();
        _model.Methods = _model.Types.SelectMany(t => MethodOrder.Ordered(t.Methods)).ToList();

        _nativeChecksum = NativeMethodsChecksum.Compute(_model, _model.Types);

        // owner indices refer to the rows before minimisation, as in the official tool
        var rows = new List<AttributeRow>();
        AddAttributes(rows, 0x0004, _model.Types);
        AddAttributes(rows, 0x0005, _model.Fields);
        AddAttributes(rows, 0x0006, _model.Methods);
        _model.Attributes = rows;
        _model.Reindex();
    }

    private void AddAttributes(List<AttributeRow> rows, ushort table, IEnumerable<ICustomAttributeProvider> owners)
    {
        int index = 0;
        foreach (var owner in owners)
        {
            foreach (var a in owner.CustomAttributes)
            {
                var name = a.AttributeType.FullName;
                var declaring = a.AttributeType.DeclaringType?.FullName;
                if (!_model.IgnoredAttributes.Contains(name) && !(declaring != null && _model.IgnoredAttributes.Contains(declaring)))
                {
                    rows.Add(new AttributeRow(table, (ushort)index, a));
                }
            }

            index++;
        }
    }

    /// <summary>
    /// The string table as the official tool has it when it searches for reachable rows
    /// (after its first, unminimised pass). Only the ids of literals matter: they decide the
    /// order in which literals are re-added later.
    /// </summary>
    private StringTable PreliminaryStrings()
    {
        var strings = new StringTable();
        foreach (var a in _model.AssemblyRefs) strings.GetOrCreate(a.Name);
        foreach (var t in _model.TypeRefs)
        {
            strings.GetOrCreate(t.Namespace);
            strings.GetOrCreate(t.Name);
        }

        foreach (var m in _memberRefs) strings.GetOrCreate(m.Name);

        foreach (var t in _model.Types)
        {
            strings.GetOrCreate(t.Namespace);
            strings.GetOrCreate(t.Name);
            var fields = t.Fields.Where(f => !f.HasConstant).ToList();
            foreach (var f in fields.Where(f => f.IsStatic)) strings.GetOrCreate(f.Name);
            foreach (var f in fields.Where(f => !f.IsStatic)) strings.GetOrCreate(f.Name);
        }

        var saved = _model.Strings;
        _model.Strings = strings;
        var scratch = new SignatureTable();
        var savedSignatures = _model.Signatures;
        _model.Signatures = scratch;
        foreach (var row in _model.Attributes)
        {
            _sig.Attribute(row.Attribute, row.Attribute.AttributeType.FullName);
        }

        _model.Strings = saved;
        _model.Signatures = savedSignatures;
        foreach (var r in _model.Module.Resources.OfType<EmbeddedResource>())
        {
            strings.GetOrCreate(ResourceTables.FileName(r));
        }

        strings.GetOrCreate(_model.AssemblyName);
        return strings;
    }

    /// <summary>
    /// Keeps only reached rows. An excluded type that is still referenced survives as an
    /// empty shell (its members were never reached), which is what the official tool emits.
    /// </summary>
    private void Minimize(Reachability reach)
    {
        bool Kept(IMetadataTokenProvider p) => reach.ReachedSet.Contains(p.MetadataToken.ToUInt32());

        _model.AssemblyRefs = _model.AssemblyRefs.Where(Kept).ToList();
        _model.TypeRefs = _model.TypeRefs.Where(Kept).ToList();
        _model.Fields = _model.Fields.Where(Kept).ToList();
        _model.FieldRefs = _model.FieldRefs.Where(Kept).ToList();
        _model.Methods = _model.Methods.Where(Kept).ToList();
        _model.MethodRefs = _model.MethodRefs.Where(Kept).ToList();
        _model.Types = _model.Types.Where(Kept).ToList();
        _model.Attributes = _model.Attributes.Where(a => Kept(a.Attribute.Constructor)).ToList();

        var fieldTokens = new HashSet<uint>(_model.Fields.Select(f => f.MetadataToken.ToUInt32()));
        var methodTokens = new HashSet<uint>(_model.Methods.Select(m => m.MetadataToken.ToUInt32()));
        foreach (var t in _model.Types)
        {
            _model.KeptFields[t] = t.Fields.Where(f => fieldTokens.Contains(f.MetadataToken.ToUInt32())).ToList();
            _model.KeptMethods[t] = t.Methods.Where(m => methodTokens.Contains(m.MetadataToken.ToUInt32())).ToList();
        }

        _model.Reindex();
    }

    private void RebuildStrings(Reachability reach)
    {
        var strings = new StringTable();
        foreach (var a in _model.AssemblyRefs) strings.GetOrCreate(a.Name);
        foreach (var t in _model.TypeRefs)
        {
            strings.GetOrCreate(t.Namespace);
            strings.GetOrCreate(t.Name);
        }

        // the official tool re-adds names of member references whose declaring type name
        // occurs inside some kept type reference's name
        foreach (var m in _model.Module.GetMemberReferences())
        {
            var declaring = m.DeclaringType.FullName;
            if (_model.TypeRefs.Any(t => t.FullName.Contains(declaring, StringComparison.Ordinal)))
            {
                strings.GetOrCreate(m.Name);
            }
        }

        foreach (var t in _model.Types)
        {
            strings.GetOrCreate(t.Namespace);
            strings.GetOrCreate(t.Name);
            foreach (var f in _model.KeptFields[t].Where(f => !f.IsStatic)) strings.GetOrCreate(f.Name);
            foreach (var m in _model.KeptMethods[t]) strings.GetOrCreate(m.Name);
        }

        foreach (var s in reach.ReachedLiterals())
        {
            strings.GetOrCreate(s);
        }

        _model.Strings = strings;
        _model.Signatures = new SignatureTable();
    }

    /// <summary>
    /// Second pass: tables in CLR_TABLESENUM order. The string and signature heaps are
    /// serialised only after every table before them has asked for its ids.
    /// </summary>
    private byte[] Emit()
    {
        var tables = new byte[16][];
        tables[(int)PeTable.AssemblyRef] = AssemblyRefTable();
        tables[(int)PeTable.TypeRef] = TypeRefTable();
        tables[(int)PeTable.FieldRef] = FieldRefTable();
        tables[(int)PeTable.MethodRef] = MethodRefTable();
        var byteCode = new ByteCodeTable(_model, _code);
        var literals = new StringTable();
        tables[(int)PeTable.TypeDef] = TypeDefTable(byteCode, literals);
        tables[(int)PeTable.FieldDef] = FieldDefTable();
        tables[(int)PeTable.MethodDef] = MethodDefTable(byteCode);
        tables[(int)PeTable.Attributes] = AttributeTable();
        tables[(int)PeTable.TypeSpec] = TypeSpecTableBytes();
        var resources = ResourceTables.Build(_model.Module, _model.Strings);
        tables[(int)PeTable.Resources] = resources.Resources;
        tables[(int)PeTable.ResourcesData] = resources.Data;
        _model.Strings.Merge(literals);
        var nameId = _model.Strings.GetOrCreate(_model.AssemblyName);
        var strings = new ByteBuffer();
        _model.Strings.WriteTo(strings);
        tables[(int)PeTable.Strings] = strings.ToArray();
        tables[(int)PeTable.Signatures] = _model.Signatures.ToArray();
        tables[(int)PeTable.ByteCode] = byteCode.Write(_model.Strings);
        tables[(int)PeTable.ResourcesFiles] = resources.FilesTable(_model.Strings);
        tables[(int)PeTable.EndOfAssembly] = Array.Empty<byte>();

        var header = new AssemblyHeader
        {
            NativeMethodsChecksum = _nativeChecksum,
            Version = _model.Module.Assembly.Name.Version,
            NameStringId = nameId,
        };
        return header.Assemble(tables);
    }

    private byte[] AssemblyRefTable()
    {
        var b = new ByteBuffer();
        foreach (var a in _model.AssemblyRefs)
        {
            b.U16(_model.Strings.GetOrCreate(a.Name));
            b.U16(0);
            AssemblyHeader.WriteVersion(b, a.Version);
        }

        return b.ToArray();
    }

    private byte[] TypeRefTable()
    {
        var b = new ByteBuffer();
        foreach (var t in _model.TypeRefs)
        {
            b.U16(_model.Strings.GetOrCreate(t.Name));
            b.U16(_model.Strings.GetOrCreate(t.Namespace));
            if (t.DeclaringType == null)
            {
                b.U16(_model.AssemblyRefId(t.Scope as AssemblyNameReference));
            }
            else
            {
                _model.TryTypeRef(t.DeclaringType, out var outer);
                b.U16((ushort)(0x8000 | outer));
            }

            b.U16(0);
        }

        return b.ToArray();
    }

    private ushort MemberContainer(MemberReference member, bool flagResolvedRef)
    {
        if (_model.TryTypeRef(member.DeclaringType, out var id))
        {
            return id;
        }

        var resolved = PeModel.SafeResolve(member.DeclaringType);
        if (resolved != null && _model.TryTypeRef(resolved, out id))
        {
            return flagResolvedRef ? (ushort)(id | 0x8000) : id;
        }

        if (resolved != null && _model.TryTypeDef(resolved, out id))
        {
            return (ushort)(id | 0x8000);
        }

        throw new PeLimitException(member.FullName, $"declaring type {member.DeclaringType.FullName} is not in the type reference table");
    }

    private byte[] FieldRefTable()
    {
        var b = new ByteBuffer();
        foreach (var f in _model.FieldRefs)
        {
            b.U16(_model.Strings.GetOrCreate(f.Name));
            b.U16(MemberContainer(f, false));
            b.U16(_sig.Field(f));
            b.U16(0);
        }

        return b.ToArray();
    }

    private byte[] MethodRefTable()
    {
        var b = new ByteBuffer();
        foreach (var m in _model.MethodRefs)
        {
            b.U16(_model.Strings.GetOrCreate(m.Name));
            b.U16(MemberContainer(m, true));
            b.U16(_sig.Method(m, m.FullName));
            b.U16(0);
        }

        return b.ToArray();
    }

    private ushort TypeRefOrDef(TypeReference? type)
    {
        if (_model.TryTypeRef(type, out var id))
        {
            return (ushort)(0x8000 | id);
        }

        return _model.TryTypeDef(PeModel.SafeResolve(type), out id) ? id : (ushort)0xFFFF;
    }

    private IEnumerable<MethodDefinition> MethodsOf(TypeDefinition t) =>
        _model.KeptMethods.TryGetValue(t, out var kept) ? kept : t.Methods;

    private byte[] TypeDefTable(ByteCodeTable byteCode, StringTable literals)
    {
        var b = new ByteBuffer();
        foreach (var t in _model.Types)
        {
            _model.Strings.GetOrCreate(t.Namespace);
            var name = _model.Strings.GetOrCreate(t.Name);
            var ns = _model.Strings.GetOrCreate(t.Namespace);
            var extends = TypeRefOrDef(t.BaseType);
            var enclosing = TypeRefOrDef(t.DeclaringType);

            // fields: static block then instance block
            var fields = _model.KeptFields[t].Where(f => !f.HasConstant).ToList();
            ushort firstStatic = 0, firstInstance = 0;
            int staticCount = 0, instanceCount = 0;
            foreach (var f in fields.Where(f => f.IsStatic))
            {
                if (_model.TryFieldDef(f, out var id))
                {
                    if (staticCount == 0) firstStatic = id;
                    _sig.Field(f);
                    _sig.DefaultValue(f.InitialValue, f.FullName);
                    _model.Strings.GetOrCreate(f.Name);
                    staticCount++;
                }
            }

            foreach (var f in fields.Where(f => !f.IsStatic))
            {
                if (_model.TryFieldDef(f, out var id))
                {
                    if (instanceCount == 0) firstInstance = id;
                    _sig.Field(f);
                    _model.Strings.GetOrCreate(f.Name);
                    instanceCount++;
                }
            }

            if (firstStatic < firstInstance && instanceCount > 0 && staticCount == 0)
            {
                firstStatic = firstInstance;
            }

            if (staticCount > byte.MaxValue || instanceCount > byte.MaxValue)
            {
                throw new PeLimitException(t.FullName, "more than 255 static or instance fields (CLR_RECORD_TYPEDEF counts are bytes)");
            }

            // the literal pre-pass covers this type's methods (top-level types only) and those of its nested types
            if (t.DeclaringType == null)
            {
                foreach (var m in MethodsOf(t))
                {
                    foreach (var s in ByteCodeRewriter.Literals(m)) literals.GetOrCreate(s);
                }
            }

            foreach (var nested in t.NestedTypes)
            {
                foreach (var m in MethodsOf(nested))
                {
                    foreach (var s in ByteCodeRewriter.Literals(m)) literals.GetOrCreate(s);
                }
            }

            var methods = _model.KeptMethods[t];
            ushort firstMethod = 0xFFFF;
            int[] counts = new int[3];
            var groups = new[]
            {
                methods.Where(m => m.IsVirtual),
                methods.Where(m => !(m.IsVirtual || m.IsStatic)),
                methods.Where(m => m.IsStatic),
            };
            for (int g = 0; g < 3; g++)
            {
                foreach (var m in groups[g])
                {
                    firstMethod = Math.Min(firstMethod, byteCode.Register(m, literals));
                    _sig.Method(m, m.FullName);
                    if (m.HasBody)
                    {
                        _sig.Locals(m.Body.Variables, m.FullName);
                    }

                    _model.Strings.GetOrCreate(m.Name);
                    counts[g]++;
                }
            }

            if (counts.Sum() == 0)
            {
                firstMethod = byteCode.NextMethodId;
            }

            var interfaces = _sig.Interfaces(t.Interfaces.ToList(), t.FullName);
            if (counts.Any(c => c > byte.MaxValue))
            {
                throw new PeLimitException(t.FullName, "more than 255 virtual, instance or static methods (CLR_RECORD_TYPEDEF counts are bytes)");
            }

            b.U16(name);
            b.U16(ns);
            b.U16(extends);
            b.U16(enclosing);
            b.U16(interfaces);
            b.U16(firstMethod);
            b.U8((byte)counts[0]);
            b.U8((byte)counts[1]);
            b.U8((byte)counts[2]);
            b.U8(TypeDataType(t));
            b.U16(firstStatic);
            b.U16(firstInstance);
            b.U8((byte)staticCount);
            b.U8((byte)instanceCount);
            b.U16(RecordFlags.TypeDef(t, _model.IsKeptMethod));
        }

        return b.ToArray();
    }

    private byte TypeDataType(TypeDefinition t)
    {
        if (NanoDataType.BuiltIn.TryGetValue(t.FullName, out var builtIn))
        {
            return builtIn;
        }

        if (t.IsEnum)
        {
            var value = t.Fields.FirstOrDefault(f => f.IsSpecialName);
            if (value == null)
            {
                return NanoDataType.I4;
            }

            var tmp = new ByteBuffer();
            _sig.TypeInfo(value.FieldType, tmp);
            return tmp.ToArray()[0];
        }

        if (t.IsValueType)
        {
            return NanoDataType.ValueType;
        }

        return NanoDataType.Class;
    }

    private byte[] FieldDefTable()
    {
        var b = new ByteBuffer();
        foreach (var f in _model.Fields)
        {
            b.U16(_model.Strings.GetOrCreate(f.Name));
            b.U16(_sig.Field(f));
            b.U16(_sig.DefaultValue(f.InitialValue, f.FullName));
            b.U16(RecordFlags.FieldDef(f));
        }

        return b.ToArray();
    }

    private byte[] MethodDefTable(ByteCodeTable byteCode)
    {
        var b = new ByteBuffer();
        foreach (var m in _model.Methods)
        {
            b.U16(_model.Strings.GetOrCreate(m.Name));
            b.U16(byteCode.Rva(m));
            b.U32(RecordFlags.MethodDef(m));
            var ret = new ByteBuffer();
            _sig.DataType(m.ReturnType, ret, false);
            b.Bytes(ret.ToArray());
            int args = m.Parameters.Count + (m.IsStatic ? 0 : 1);
            b.U8((byte)args);
            b.U8((byte)(m.HasBody ? m.Body.Variables.Count : 0));
            b.U8(ByteCodeRewriter.StackDepth(m.HasBody ? m.Body : null));
            var signature = _sig.Method(m, m.FullName);
            if (m.HasBody)
            {
                b.U16(_sig.Locals(m.Body.Variables, m.FullName));
            }
            else
            {
                b.U16(m.IsAbstract || m.IsRuntime || m.IsInternalCall ? (ushort)0x0000 : (ushort)0xFFFF);
            }

            b.U16(signature);
        }

        return b.ToArray();
    }

    private byte[] AttributeTable()
    {
        var b = new ByteBuffer();
        foreach (var row in _model.Attributes)
        {
            b.U16(row.OwnerTable);
            b.U16(row.OwnerIndex);
            b.U16(_model.MethodToken(row.Attribute.Constructor));
            b.U16(_sig.Attribute(row.Attribute, row.Attribute.AttributeType.FullName));
        }

        return b.ToArray();
    }

    private byte[] TypeSpecTableBytes()
    {
        var b = new ByteBuffer();
        for (int i = 0; i < _model.TypeSpecs.Rows.Count; i++)
        {
            b.U16(_sig.TypeSpec(_model.TypeSpecs.Rows[i]));
            b.U16(0);
        }

        return b.ToArray();
    }
}
