using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// Order of TBL_TypeDef (and so of the field and method tables): types sorted by full
/// name, but each type preceded by its enclosing type, the interfaces it implements and
/// the types appearing in signatures of methods it calls, when those live in the same
/// module (metadata processor nanoTablesContext.SortTypesAccordingUsages). The name sort
/// is culture-aware, as the official tool runs it with the default string comparer.
/// </summary>
public static class TypeOrdering
{
    public static List<TypeDefinition> Order(ModuleDefinition module, StringComparer nameComparer)
    {
        var types = module.GetTypes().Where(t => t.FullName != "<Module>").ToList();
        var processed = new HashSet<string>(StringComparer.Ordinal);
        return Visit(types.OrderBy(t => t.FullName, nameComparer), module, processed).ToList();
    }

    private static IEnumerable<TypeDefinition> Visit(IEnumerable<TypeDefinition> types, ModuleDefinition module, HashSet<string> processed)
    {
        foreach (var type in types)
        {
            if (processed.Contains(type.FullName))
            {
                continue;
            }

            if (type.DeclaringType != null)
            {
                foreach (var t in Visit(new[] { type.DeclaringType }, module, processed))
                {
                    yield return t;
                }
            }

            var interfaces = type.Interfaces
                .Select(i => PeModel.SafeResolve(i.InterfaceType))
                .Where(t => t != null && t.Module.FileName == module.FileName)
                .Cast<TypeDefinition>();
            foreach (var t in Visit(interfaces, module, processed))
            {
                yield return t;
            }

            if (processed.Add(type.FullName))
            {
                var called = type.Methods
                    .Where(m => m.HasBody)
                    .SelectMany(m => m.Body.Instructions)
                    .Select(i => i.Operand)
                    .OfType<MethodReference>()
                    .ToList();
                var used = called.SelectMany(SignatureTypes).Where(t => t.Module.FileName == module.FileName);
                foreach (var t in Visit(used, module, processed))
                {
                    yield return t;
                }

                yield return type;
            }
        }
    }

    private static IEnumerable<TypeDefinition> SignatureTypes(MethodReference method)
    {
        var ret = PeModel.SafeResolve(method.ReturnType);
        if (ret != null && ret.FullName != "System.Void")
        {
            yield return ret;
        }

        foreach (var p in method.Parameters)
        {
            var t = PeModel.SafeResolve(p.ParameterType);
            if (t != null)
            {
                yield return t;
            }
        }
    }
}
