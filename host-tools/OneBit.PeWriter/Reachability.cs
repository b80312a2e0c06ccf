using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OneBit.PeWriter;

/// <summary>
/// Decides which rows survive into the .pe ("minimize" in the metadata processor):
/// starting from every type that is not excluded, follow base types, enclosing types,
/// members, signatures, byte-code operands, handler catch types and kept attributes until
/// nothing new is found. Rounds are processed in ascending token order because the order
/// in which ldstr literals are first reached decides their place in the string table.
/// </summary>
public sealed class Reachability
{
    private const uint StringTokenType = 0x70000000;
    private static readonly string[] ExcludedAttributeNamespaces = { "System.Diagnostics.CodeAnalysis" };

    private readonly PeModel _model;
    private readonly StringTable _preliminaryStrings;
    private readonly Dictionary<uint, TypeReference> _typeRefs = new();
    private readonly Dictionary<uint, MethodReference> _methodRefs = new();
    private readonly Dictionary<uint, FieldReference> _fieldRefs = new();
    private readonly Dictionary<uint, TypeDefinition> _typeDefs = new();
    private readonly Dictionary<uint, FieldDefinition> _fields = new();
    private readonly Dictionary<uint, MethodDefinition> _methods = new();
    private readonly Dictionary<uint, (TypeDefinition Owner, InterfaceImplementation Impl)> _interfaceImpls = new();

    public Reachability(PeModel model, StringTable preliminaryStrings)
    {
        _model = model;
        _preliminaryStrings = preliminaryStrings;
        foreach (var t in model.TypeRefs) _typeRefs.TryAdd(Tok(t), t);
        foreach (var m in model.MethodRefs) _methodRefs.TryAdd(Tok(m), m);
        foreach (var f in model.FieldRefs) _fieldRefs.TryAdd(Tok(f), f);
        foreach (var t in model.Types)
        {
            _typeDefs.TryAdd(Tok(t), t);
            foreach (var i in t.Interfaces) _interfaceImpls.TryAdd(i.MetadataToken.ToUInt32(), (t, i));
        }

        foreach (var f in model.Fields) _fields.TryAdd(Tok(f), f);
        foreach (var m in model.Methods) _methods.TryAdd(Tok(m), m);
    }

    /// <summary>Every token found, in the order it was first processed.</summary>
    public List<uint> Reached { get; } = new();

    public HashSet<uint> ReachedSet { get; } = new();

    /// <summary>Literals reached, in the order the official tool re-adds them to the string table.</summary>
    public IEnumerable<string> ReachedLiterals()
    {
        foreach (var token in Reached)
        {
            if ((token & 0xFF000000) == StringTokenType)
            {
                if (_preliminaryStrings.TryGetOwnString((ushort)token, out var literal))
                {
                    yield return literal;
                }
            }
        }
    }

    public void Run()
    {
        var next = new SortedSet<uint>();
        foreach (var t in _model.Types)
        {
            if (!IsExcluded(t))
            {
                next.Add(Tok(t));
            }
        }

        while (next.Count > 0)
        {
            var found = new SortedSet<uint>();
            foreach (var token in next)
            {
                if (ReachedSet.Add(token))
                {
                    Reached.Add(token);
                }

                foreach (var d in Dependencies(token))
                {
                    found.Add(d);
                }
            }

            next = new SortedSet<uint>(found.Where(t => !ReachedSet.Contains(t)));
        }
    }

    public bool IsExcluded(TypeDefinition t) =>
        _model.Excluded.Contains(t.FullName) || _model.Excluded.Contains(t.Name) ||
        (t.DeclaringType != null && _model.Excluded.Contains(t.DeclaringType.FullName));

    public bool IsAttributeIncluded(TypeReference attributeType) =>
        !_model.IgnoredAttributes.Contains(attributeType.FullName) &&
        !ExcludedAttributeNamespaces.Any(ns => attributeType.FullName.StartsWith(ns, StringComparison.Ordinal));

    private static uint Tok(IMetadataTokenProvider p) => p.MetadataToken.ToUInt32();

    private static bool IsPlainReference(TypeReference t) =>
        t.FullName is "System.Void" or "System.String" or "System.Object";

    private IEnumerable<uint> Dependencies(uint token)
    {
        var set = new List<uint>();
        switch (token >> 24)
        {
            case 0x01 when _typeRefs.TryGetValue(token, out var tr):
                if (tr.IsNested)
                {
                    set.Add(Tok(tr.DeclaringType));
                }
                else if (tr.Scope != null &&
                         (tr.Scope.MetadataToken.TokenType == TokenType.AssemblyRef || tr.Scope.MetadataToken.TokenType == TokenType.TypeRef))
                {
                    set.Add(Tok(tr.Scope));
                }

                break;
            case 0x0A:
                if (_methodRefs.TryGetValue(token, out var mr))
                {
                    MethodRefDependencies(mr, set);
                }
                else if (_fieldRefs.TryGetValue(token, out var fr))
                {
                    FieldRefDependencies(fr, set);
                }

                break;
            case 0x02 when _typeDefs.TryGetValue(token, out var td):
                TypeDefDependencies(td, set);
                break;
            case 0x04 when _fields.TryGetValue(token, out var fd):
                FieldDependencies(fd, set);
                break;
            case 0x06 when _methods.TryGetValue(token, out var md):
                MethodDependencies(md, set);
                break;
            case 0x09 when _interfaceImpls.TryGetValue(token, out var ii):
                set.Add(Tok(ii.Impl.InterfaceType));
                set.Add(Tok(ii.Owner));
                break;
        }

        return set;
    }

    private void AddElement(TypeReference arrayType, List<uint> set)
    {
        var e = arrayType.GetElementType();
        if (!IsPlainReference(e) && !e.IsPrimitive)
        {
            set.Add(Tok(e));
        }
    }

    private void MethodRefDependencies(MethodReference mr, List<uint> set)
    {
        if (mr.DeclaringType != null) set.Add(Tok(mr.DeclaringType));
        var rt = mr.ReturnType;
        if (rt.IsValueType && !rt.IsPrimitive)
        {
            set.Add(Tok(rt));
        }
        else if (rt.IsArray)
        {
            if (rt.DeclaringType != null) set.Add(Tok(rt.DeclaringType));
            else AddElement(rt, set);
        }
        else
        {
            if (rt.MetadataType == MetadataType.ValueType && !IsPlainReference(rt) && !rt.IsPrimitive) set.Add(Tok(rt));
            if (rt.MetadataType == MetadataType.Class) set.Add(Tok(rt));
        }

        foreach (var p in mr.Parameters)
        {
            var pt = p.ParameterType;
            if (pt.DeclaringType != null)
            {
                var resolved = PeModel.SafeResolve(pt);
                set.Add(resolved != null && resolved.IsEnum ? Tok(pt) : Tok(pt.DeclaringType));
            }

            if (pt.MetadataType == MetadataType.Class) set.Add(Tok(pt));
            if (pt.IsValueType && !pt.IsPrimitive) set.Add(Tok(pt));
        }
    }

    private void FieldRefDependencies(FieldReference fr, List<uint> set)
    {
        if (fr.DeclaringType != null) set.Add(Tok(fr.DeclaringType));
        var ft = fr.FieldType;
        if (ft.MetadataType == MetadataType.Class) set.Add(Tok(ft));
        else if (!ft.IsPrimitive && ft.IsValueType && !IsPlainReference(ft)) set.Add(Tok(ft));
        else if (ft.IsArray)
        {
            if (ft.DeclaringType != null) set.Add(Tok(ft));
            else AddElement(ft, set);
        }
        else if (ft.DeclaringType != null) set.Add(Tok(ft.DeclaringType));
    }

    private void AttributeDependencies(ICustomAttributeProvider owner, List<uint> set)
    {
        foreach (var c in owner.CustomAttributes)
        {
            if (!_model.Excluded.Contains(c.AttributeType.FullName) && IsAttributeIncluded(c.AttributeType))
            {
                set.Add(Tok(c.Constructor));
            }
        }
    }

    private void TypeDefDependencies(TypeDefinition td, List<uint> set)
    {
        if (td.BaseType != null) set.Add(Tok(td.BaseType));
        if (td.DeclaringType != null) set.Add(Tok(td.DeclaringType));
        AttributeDependencies(td, set);
        bool ownerExcluded = _model.Excluded.Contains(td.FullName);
        if (!ownerExcluded)
        {
            foreach (var f in td.Fields.Where(f => !f.IsLiteral)) set.Add(Tok(f));
            foreach (var m in td.Methods) set.Add(Tok(m));
        }

        foreach (var i in td.Interfaces)
        {
            if (!_model.Excluded.Contains(i.InterfaceType.FullName)) set.Add(i.MetadataToken.ToUInt32());
        }
    }

    private void FieldDependencies(FieldDefinition fd, List<uint> set)
    {
        var ft = fd.FieldType;
        if (ft.IsValueType && !ft.IsPrimitive) set.Add(Tok(ft));
        else if (ft.IsArray)
        {
            if (ft.DeclaringType != null) set.Add(Tok(ft.DeclaringType));
            else AddElement(ft, set);
        }
        else if (!ft.IsValueType && !ft.IsPrimitive && !IsPlainReference(ft)) set.Add(Tok(ft));

        AttributeDependencies(fd, set);
    }

    private void MethodDependencies(MethodDefinition md, List<uint> set)
    {
        var rt = md.ReturnType;
        if (rt.IsValueType && !rt.IsPrimitive) set.Add(Tok(rt));
        else if (rt.IsArray)
        {
            if (rt.DeclaringType != null) set.Add(Tok(rt.DeclaringType));
            else AddElement(rt, set);
        }
        else if (!rt.IsValueType && !rt.IsPrimitive && !rt.IsByReference && !IsPlainReference(rt)) set.Add(Tok(rt));

        foreach (var p in md.Parameters)
        {
            var pt = p.ParameterType is ByReferenceType br ? br.ElementType : p.ParameterType;
            if (pt.IsArray)
            {
                if (pt.DeclaringType != null) set.Add(Tok(pt.DeclaringType));
                else AddElement(pt, set);
            }
            else if (pt.MetadataType == MetadataType.Class) set.Add(Tok(pt));
            else if (pt.IsValueType && !pt.IsPrimitive) set.Add(Tok(pt));
            else if (!pt.IsValueType && !pt.IsPrimitive && !IsPlainReference(pt)) set.Add(Tok(pt));
        }

        if (md.HasBody)
        {
            foreach (var v in md.Body.Variables)
            {
                var vt = v.VariableType;
                if (vt.DeclaringType != null)
                {
                    var resolved = PeModel.SafeResolve(vt);
                    set.Add(resolved != null && resolved.IsEnum ? Tok(vt) : Tok(vt.DeclaringType));
                }
                else if (vt.MetadataType == MetadataType.Class) set.Add(Tok(vt));
                else if (vt.MetadataType == MetadataType.Array) AddElement(vt, set);
                else if (vt.IsValueType && !vt.IsPrimitive) set.Add(Tok(vt));
            }

            foreach (var i in md.Body.Instructions)
            {
                switch (i.Operand)
                {
                    case MethodReference or FieldReference or TypeReference:
                        set.Add(Tok((IMetadataTokenProvider)i.Operand));
                        break;
                    case string s:
                        set.Add(StringTokenType | _preliminaryStrings.GetOrCreate(s));
                        break;
                }
            }

            foreach (var h in md.Body.ExceptionHandlers)
            {
                if (h.HandlerType != ExceptionHandlerType.Filter && h.CatchType != null)
                {
                    set.Add(Tok(h.CatchType));
                }
            }
        }

        AttributeDependencies(md, set);
    }
}
