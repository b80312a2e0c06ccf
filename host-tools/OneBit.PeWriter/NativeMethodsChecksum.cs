using System.Text;
using Mono.Cecil;

namespace OneBit.PeWriter;

/// <summary>
/// CLR_RECORD_ASSEMBLY::nativeMethodsChecksum: a CRC over the names of the methods that
/// are implemented natively (no IL body, not abstract) in classes and structs. The
/// firmware compares it with the checksum compiled into its native stub table, so it must
/// be derived exactly like the stub names (metadata processor NativeMethodsCrc).
/// </summary>
public static class NativeMethodsChecksum
{
    public static uint Compute(PeModel model, IEnumerable<TypeDefinition> types) =>
        Of(model.AssemblyName, Entries(model, types).Select(e => e.Native ? (e.ClassName, e.MethodName) : ((string, string)?)null));

    /// <summary>
    /// The checksum of a native table given entry by entry in table order: (class, method) for a native method, null
    /// for a method with IL. Each native method adds the assembly name, its class name and its method name to the
    /// CRC, each other method "NULL"; the running value only counts once a native method was seen (before that it
    /// reads as 0).
    /// </summary>
    public static uint Of(string assemblyName, IEnumerable<(string ClassName, string MethodName)?> entries)
    {
        var name = Encoding.ASCII.GetBytes(assemblyName);
        var none = Encoding.ASCII.GetBytes("NULL");
        uint crc = 0;
        int natives = 0;

        uint Current() => natives > 0 ? crc : 0;

        foreach (var entry in entries)
        {
            if (entry is { } native)
            {
                crc = Crc32Mpeg2.Compute(name, Current());
                crc = Crc32Mpeg2.Compute(Encoding.ASCII.GetBytes(native.ClassName), Current());
                crc = Crc32Mpeg2.Compute(Encoding.ASCII.GetBytes(native.MethodName), Current());
                natives++;
            }
            else
            {
                crc = Crc32Mpeg2.Compute(none, Current());
            }
        }

        return Current();
    }

    /// <summary>The methods the checksum covers, in its order: those of classes and structs not excluded from the
    /// .pe, each type's in .pe method order.</summary>
    public static IEnumerable<NativeTableEntry> Entries(PeModel model, IEnumerable<TypeDefinition> types)
    {
        foreach (var type in types)
        {
            if (!HasStub(type) || model.Excluded.Contains(type.FullName) ||
                (type.DeclaringType != null && model.Excluded.Contains(type.DeclaringType.FullName)))
            {
                continue;
            }

            foreach (var method in MethodOrder.Ordered(type.Methods))
            {
                yield return new NativeTableEntry(method, ClassName(type), MethodName(method), method.RVA == 0 && !method.IsAbstract);
            }
        }
    }

    /// <summary>Only classes and value types get native stubs; delegates, enums and interfaces do not.</summary>
    private static bool HasStub(TypeDefinition type)
    {
        var baseName = type.BaseType?.FullName;
        if (baseName == "System.MulticastDelegate" || (baseName == "System.Delegate" && type.FullName != "System.MulticastDelegate"))
        {
            return false;
        }

        return !type.IsEnum && !type.IsInterface;
    }

    public static string ClassName(TypeDefinition? type) =>
        type == null
            ? string.Empty
            : string.Join("_", ClassName(type.DeclaringType), type.Namespace, type.Name).Replace(".", "_").TrimStart('_');

    public static string MethodName(MethodDefinition method)
    {
        var parts = new List<string> { ParameterName(method.ReturnType) };
        parts.AddRange(method.Parameters.Select(p => ParameterName(p.ParameterType)));
        var name = method.Name + (method.IsStatic ? "___STATIC__" : "___") + string.Join("__", parts);
        return name.Replace(".", "_").Replace("/", string.Empty);
    }

    private static string ParameterName(TypeReference type)
    {
        string result;
        if (type.IsArray)
        {
            result = "SZARRAY_" + ParameterName(type.GetElementType());
        }
        else if (type.IsByReference)
        {
            var element = ((TypeSpecification)type).ElementType;
            result = "BYREF_" + (element.IsArray
                ? "SZARRAY_" + ParameterName(((TypeSpecification)element).ElementType)
                : TypeName(element));
        }
        else
        {
            result = TypeName(type);
        }

        return result.Replace("DATATYPE_", string.Empty);
    }

    private static string TypeName(TypeReference type)
    {
        if (NanoDataType.Primitives.TryGetValue(type.FullName, out var dataType))
        {
            return NanoDataType.ChecksumName(dataType);
        }

        return type.IsGenericParameter ? "GENERICTYPE" : type.FullName.Replace(".", string.Empty);
    }
}

/// <summary>One method as the native table and its checksum see it: class and method names in the stub convention
/// (<see cref="NativeMethodsChecksum.ClassName"/>, <see cref="NativeMethodsChecksum.MethodName"/>), native when it has
/// no IL body and is not abstract.</summary>
public sealed record NativeTableEntry(MethodDefinition Method, string ClassName, string MethodName, bool Native);
