using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// Flag words of CLR_RECORD_TYPEDEF, CLR_RECORD_FIELDDEF and CLR_RECORD_METHODDEF
/// (nanoCLR_Types.h), derived from the ECMA-335 attributes.
/// </summary>
public static class RecordFlags
{
    public static ushort TypeDef(TypeDefinition t, Func<MethodDefinition, bool>? isKept)
    {
        ushort f = 0;
        if (t.IsPublic) f = 0x0001;
        else if (t.IsNestedPublic) f = 0x0002;
        else if (t.IsNestedPrivate) f = 0x0003;
        else if (t.IsNestedFamily) f = 0x0004;
        else if (t.IsNestedAssembly) f = 0x0005;
        else if (t.IsNestedFamilyAndAssembly) f = 0x0006;
        else if (t.IsNestedFamilyOrAssembly) f = 0x0007;

        if (t.IsSerializable) f |= 0x0008;
        if (t.IsEnum) f |= 0x0030 | 0x0008; // enums are always serializable
        else if (t.IsValueType) f |= 0x0010;
        else if (t.IsInterface) f |= 0x0020;

        if (t.IsAbstract) f |= 0x0040;
        if (t.IsSealed) f |= 0x0080;
        if (t.IsSpecialName) f |= 0x0100;
        if (t.IsBeforeFieldInit) f |= 0x1000;
        if (t.HasSecurity) f |= 0x2000;
        if (t.HasCustomAttributes) f |= 0x8000;

        var baseName = t.BaseType?.FullName;
        if (baseName == "System.MulticastDelegate") f |= 0x0400;
        if (baseName == "System.Delegate" && t.FullName != "System.MulticastDelegate") f |= 0x0200;

        if (isKept != null)
        {
            foreach (var m in t.Methods)
            {
                if (isKept(m) && m.Name == "Finalize" && m.ReturnType.FullName == "System.Void" && !m.HasParameters &&
                    m.DeclaringType.FullName != "System.Object")
                {
                    f |= 0x4000; // TD_HasFinalizer
                }
            }
        }

        return f;
    }

    public static ushort FieldDef(FieldDefinition field)
    {
        ushort f = 0;
        if (field.IsPrivate) f = 0x0001;
        else if (field.IsFamilyAndAssembly) f = 0x0002;
        else if (field.IsFamilyOrAssembly) f = 0x0005;
        else if (field.IsAssembly) f = 0x0003;
        else if (field.IsFamily) f = 0x0004;
        else if (field.IsPublic) f = 0x0006;

        if (field.IsNotSerialized) f |= 0x0008;
        if (field.IsStatic) f |= 0x0010;
        if (field.IsInitOnly) f |= 0x0020;
        if (field.IsLiteral) f |= 0x0040;
        if (field.IsSpecialName) f |= 0x0100;
        if (field.HasDefault) f |= 0x0200;
        if (field.HasCustomAttributes) f |= 0x8000;
        if (field.RVA != 0) f |= 0x0400;
        return f;
    }

    public static uint MethodDef(MethodDefinition m)
    {
        uint f = 0;
        if (m.IsPrivate) f = 0x1;
        else if (m.IsFamilyAndAssembly) f = 0x2;
        else if (m.IsFamilyOrAssembly) f = 0x5;
        else if (m.IsAssembly) f = 0x3;
        else if (m.IsFamily) f = 0x4;
        else if (m.IsPublic) f = 0x6;

        if (m.IsStatic) f |= 0x10;
        if (m.IsFinal) f |= 0x20;
        if (m.IsVirtual) f |= 0x40;
        if (m.IsHideBySig) f |= 0x80;
        if (m.IsNewSlot) f |= 0x100;
        if (m.IsAbstract) f |= 0x200;
        if (m.IsSpecialName) f |= 0x400;
        if (m.IsConstructor) f |= m.IsStatic ? 0x2000u : 0x1000u;
        if (m.Name == "Finalize" && m.ReturnType.FullName == "System.Void" && m.Parameters.Count == 0) f |= 0x4000;
        if (m.IsSynchronized) f |= 0x01000000;
        if (m.HasCustomAttributes) f |= 0x80000000;
        if (m.Module != null && m == m.Module.EntryPoint) f |= 0x08000000;
        if (m.HasBody && m.Body.HasExceptionHandlers) f |= 0x40000000;

        var baseType = m.DeclaringType?.BaseType;
        if (baseType != null && baseType.FullName == "System.MulticastDelegate")
        {
            if (m.IsConstructor) f |= 0x00010000;
            else if (m.Name == "Invoke") f |= 0x00020000;
            else if (m.Name == "BeginInvoke") f |= 0x00040000;
            else if (m.Name == "EndInvoke") f |= 0x00080000;
        }

        if (m.ContainsGenericParameter) f |= 0x00100000;
        if (m.HasGenericParameters) f |= 0x00200000;
        return f;
    }
}
