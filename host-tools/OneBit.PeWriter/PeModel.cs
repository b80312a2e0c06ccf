using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// The rows of every .pe table for one assembly, plus the lookups the writers need.
/// Rows are matched by Cecil full name (ordinal), as the official metadata processor does,
/// so a reference and a definition of the same member map to the same row.
/// </summary>
public sealed class PeModel
{
    public PeModel(ModuleDefinition module)
    {
        Module = module;
    }

    public ModuleDefinition Module { get; }

    public string AssemblyName => Module.Assembly.Name.Name;

    /// <summary>Type names left out of the .pe (defaults plus [ExcludeType]).</summary>
    public HashSet<string> Excluded { get; } = new(StringComparer.Ordinal);

    /// <summary>Attribute types never written to TBL_Attributes (compile-time only or unsupported).</summary>
    public HashSet<string> IgnoredAttributes { get; } = new(StringComparer.Ordinal);

    public List<AssemblyNameReference> AssemblyRefs { get; set; } = new();
    public List<TypeReference> TypeRefs { get; set; } = new();
    public List<FieldReference> FieldRefs { get; set; } = new();
    public List<MethodReference> MethodRefs { get; set; } = new();
    public List<TypeDefinition> Types { get; set; } = new();
    public List<FieldDefinition> Fields { get; set; } = new();
    public List<MethodDefinition> Methods { get; set; } = new();
    public List<AttributeRow> Attributes { get; set; } = new();

    /// <summary>Members of each kept type that survive minimisation, in declaration order.</summary>
    public Dictionary<TypeDefinition, List<FieldDefinition>> KeptFields { get; } = new();
    public Dictionary<TypeDefinition, List<MethodDefinition>> KeptMethods { get; } = new();

    public StringTable Strings { get; set; } = new();
    public SignatureTable Signatures { get; set; } = new();
    public TypeSpecTable TypeSpecs { get; } = new();

    private Dictionary<string, ushort> _asmRefIndex = new();
    private Dictionary<string, ushort> _typeRefIndex = new();
    private Dictionary<string, ushort> _fieldRefIndex = new();
    private Dictionary<string, ushort> _methodRefIndex = new();
    private Dictionary<string, ushort> _typeDefIndex = new();
    private Dictionary<string, ushort> _fieldDefIndex = new();
    private Dictionary<string, ushort> _methodDefIndex = new();

    public void Reindex()
    {
        _asmRefIndex = Index(AssemblyRefs, a => a.FullName);
        _typeRefIndex = Index(TypeRefs, t => t.FullName);
        _fieldRefIndex = Index(FieldRefs, f => f.FullName);
        _methodRefIndex = Index(MethodRefs, m => m.FullName);
        _typeDefIndex = Index(Types, t => t.FullName);
        _fieldDefIndex = Index(Fields, f => f.FullName);
        _methodDefIndex = Index(Methods, m => m.FullName);
    }

    private static Dictionary<string, ushort> Index<T>(List<T> rows, Func<T, string> key)
    {
        var result = new Dictionary<string, ushort>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            // first row wins, later duplicates (same full name) are unreachable anyway
            result.TryAdd(key(rows[i]), (ushort)i);
        }

        return result;
    }

    public ushort AssemblyRefId(AssemblyNameReference? reference) =>
        reference != null && _asmRefIndex.TryGetValue(reference.FullName, out var id) ? id : (ushort)0;

    /// <summary>A null type means "none" and maps to 0xFFFF, as in CLR_RECORD_TYPEDEF::enclosingType.</summary>
    public bool TryTypeRef(TypeReference? type, out ushort id)
    {
        if (type == null)
        {
            id = 0xFFFF;
            return true;
        }

        return _typeRefIndex.TryGetValue(type.FullName, out id);
    }

    public bool TryTypeDef(TypeDefinition? type, out ushort id)
    {
        if (type == null)
        {
            id = 0xFFFF;
            return true;
        }

        return _typeDefIndex.TryGetValue(type.FullName, out id);
    }

    public bool TryFieldRef(FieldReference field, out ushort id) => _fieldRefIndex.TryGetValue(field.FullName, out id);

    public bool TryFieldDef(FieldDefinition? field, out ushort id)
    {
        id = 0;
        return field != null && _fieldDefIndex.TryGetValue(field.FullName, out id);
    }

    public bool TryMethodRef(MethodReference method, out ushort id) => _methodRefIndex.TryGetValue(method.FullName, out id);

    public bool TryMethodDef(MethodDefinition? method, out ushort id)
    {
        id = 0;
        return method != null && _methodDefIndex.TryGetValue(method.FullName, out id);
    }

    public bool IsKeptMethod(MethodDefinition method) => _methodDefIndex.TryGetValue(method.FullName, out var id) && ReferenceEquals(Methods[id], method);

    /// <summary>Method token as written in byte code and attributes: 0x8000 marks TBL_MethodRef.</summary>
    public ushort MethodToken(MethodReference method)
    {
        if (TryMethodRef(method, out var id))
        {
            return (ushort)(id | 0x8000);
        }

        TryMethodDef(SafeResolve(method), out id);
        return id;
    }

    /// <summary>Field token as written in byte code: 0x8000 marks TBL_FieldRef.</summary>
    public ushort FieldToken(FieldReference field)
    {
        if (TryFieldRef(field, out var id))
        {
            return (ushort)(id | 0x8000);
        }

        TryFieldDef(SafeResolve(field), out id);
        return id;
    }

    public static TypeDefinition? SafeResolve(TypeReference? type)
    {
        if (type == null)
        {
            return null;
        }

        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    public static MethodDefinition? SafeResolve(MethodReference method)
    {
        try
        {
            return method.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    public static FieldDefinition? SafeResolve(FieldReference field)
    {
        try
        {
            return field.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}

/// <summary>One CLR_RECORD_ATTRIBUTE: owner table (4 type, 5 field, 6 method), owner row, attribute.</summary>
public sealed record AttributeRow(ushort OwnerTable, ushort OwnerIndex, CustomAttribute Attribute);
