using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// Within a type, TBL_MethodDef lists virtual, then other instance, then static methods
/// (CLR_RECORD_TYPEDEF keeps only the first index and the three counts), and TBL_FieldDef
/// lists static fields before instance fields.
/// </summary>
public static class MethodOrder
{
    public static IEnumerable<MethodDefinition> Ordered(IEnumerable<MethodDefinition> methods)
    {
        var list = methods.ToList();
        return list.Where(m => m.IsVirtual)
            .Concat(list.Where(m => !(m.IsVirtual || m.IsStatic)))
            .Concat(list.Where(m => m.IsStatic));
    }

    public static IEnumerable<FieldDefinition> OrderedFields(IEnumerable<FieldDefinition> fields)
    {
        var list = fields.ToList();
        return list.Where(f => f.IsStatic).Concat(list.Where(f => !f.IsStatic));
    }
}
