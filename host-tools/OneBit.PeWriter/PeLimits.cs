using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OneBit.PeWriter;

/// <summary>
/// Refuses constructs the stable firmware (nanoFramework.CoreLibrary 1.17.x, metadata
/// processor v3) cannot load, before any table is built, naming the member and the reason.
/// The stable CLR_DataType set (nanoCLR_Types.h) has no pointer, function pointer,
/// multidimensional array or custom modifier encoding, and its interpreter has no generic
/// instantiation. The core library is the one exception for generics: the official
/// mscorlib ships generic delegate declarations (Action`1, Func`2, ...) and its .pe
/// encodes their type parameters, so they are accepted there.
/// </summary>
public static class PeLimits
{
    private const string GenericsReason = "generics are not supported by the stable nanoCLR (CoreLibrary 1.17.x)";

    public static void Check(ModuleDefinition module)
    {
        bool core = module.AssemblyReferences.Count == 0;

        foreach (var resource in module.Resources)
        {
            if (resource is not EmbeddedResource)
            {
                throw new PeLimitException(resource.Name, "linked (non-embedded) resources cannot be carried in a .pe");
            }
        }

        foreach (var type in module.GetTypes())
        {
            if (type.FullName == "<Module>")
            {
                continue;
            }

            if (!core && type.HasGenericParameters)
            {
                throw new PeLimitException(type.FullName, GenericsReason + ": generic type definition");
            }

            if (type.BaseType != null) CheckType(type.BaseType, type.FullName, core);
            foreach (var i in type.Interfaces) CheckType(i.InterfaceType, type.FullName, core);
            foreach (var f in type.Fields) CheckType(f.FieldType, f.FullName, core);
            foreach (var m in type.Methods) CheckMethod(m, core);
        }
    }

    private static void CheckMethod(MethodDefinition m, bool core)
    {
        var name = m.FullName;
        if (!core && m.HasGenericParameters)
        {
            throw new PeLimitException(name, GenericsReason + ": generic method definition");
        }

        if (m.CallingConvention == MethodCallingConvention.VarArg)
        {
            throw new PeLimitException(name, "variable argument lists (__arglist) are not supported by nanoCLR");
        }

        if (m.Parameters.Count + (m.HasThis ? 1 : 0) > byte.MaxValue)
        {
            throw new PeLimitException(name, "more than 255 arguments (CLR_RECORD_METHODDEF::numArgs is a byte)");
        }

        CheckType(m.ReturnType, name, core);
        foreach (var p in m.Parameters) CheckType(p.ParameterType, name, core);

        if (!m.HasBody)
        {
            return;
        }

        if (m.Body.Variables.Count > byte.MaxValue)
        {
            throw new PeLimitException(name, "more than 255 local variables (CLR_RECORD_METHODDEF::numLocals is a byte)");
        }

        foreach (var v in m.Body.Variables) CheckType(v.VariableType, name, core);

        foreach (var i in m.Body.Instructions)
        {
            switch (i.OpCode.Code)
            {
                case Code.Calli:
                    throw new PeLimitException(name, "calli (function pointer call, unsafe code) is not supported by nanoCLR");
                case Code.Localloc:
                    throw new PeLimitException(name, "stackalloc (localloc, unsafe code) is not supported by nanoCLR");
                case Code.Cpblk:
                case Code.Initblk:
                    throw new PeLimitException(name, $"{i.OpCode.Name} (raw memory block, unsafe code) is not supported by nanoCLR");
                case Code.Arglist:
                case Code.Mkrefany:
                case Code.Refanyval:
                case Code.Refanytype:
                    throw new PeLimitException(name, $"{i.OpCode.Name} (typed references / varargs) is not supported by nanoCLR");
                case Code.Jmp:
                    throw new PeLimitException(name, "jmp is not supported by nanoCLR");
            }

            switch (i.Operand)
            {
                case TypeReference t:
                    CheckType(t, name, core);
                    break;
                case GenericInstanceMethod when !core:
                    throw new PeLimitException(name, GenericsReason + $": call to generic method {((MethodReference)i.Operand).FullName}");
                case MethodReference callee:
                    CheckType(callee.DeclaringType, name, core);
                    CheckType(callee.ReturnType, name, core);
                    foreach (var p in callee.Parameters) CheckType(p.ParameterType, name, core);
                    break;
                case FieldReference field:
                    CheckType(field.DeclaringType, name, core);
                    CheckType(field.FieldType, name, core);
                    break;
            }
        }
    }

    private static void CheckType(TypeReference type, string member, bool core)
    {
        switch (type)
        {
            case PointerType:
                throw new PeLimitException(member, $"pointer type {type.FullName} (unsafe code) is not supported by nanoCLR");
            case FunctionPointerType:
                throw new PeLimitException(member, $"function pointer {type.FullName} (unsafe code) is not supported by nanoCLR");
            case PinnedType:
                throw new PeLimitException(member, "pinned local (fixed statement, unsafe code) is not supported by nanoCLR");
            case ArrayType array when array.Rank > 1:
                throw new PeLimitException(member, $"multidimensional array {type.FullName} is not supported by nanoCLR (only single-dimension zero-based arrays, SZARRAY)");
            case RequiredModifierType or OptionalModifierType when !core:
                throw new PeLimitException(member, $"custom modifier in {type.FullName} (e.g. volatile, in) has no encoding in nanoCLR signatures");
            case GenericInstanceType when !core:
                throw new PeLimitException(member, GenericsReason + $": {type.FullName}");
            case GenericParameter when !core:
                throw new PeLimitException(member, GenericsReason + $": type parameter {type.Name}");
        }

        if (type.FullName == "System.TypedReference")
        {
            throw new PeLimitException(member, "TypedReference is not supported by nanoCLR");
        }

        if (type is TypeSpecification spec)
        {
            CheckType(spec.ElementType, member, core);
        }

        if (type is GenericInstanceType generic)
        {
            foreach (var a in generic.GenericArguments) CheckType(a, member, core);
        }
    }
}
