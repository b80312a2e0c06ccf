using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OneBit.PeWriter.Tests;

/// <summary>
/// Builds small assemblies against the nano mscorlib with Cecil, for constructs a C# 7.3
/// compile against that mscorlib cannot easily produce (pointers, generics, calli, ...).
/// </summary>
internal sealed class CecilFixtures : IDisposable
{
    private readonly ModuleDefinition _corlib;

    public CecilFixtures(string name)
    {
        _corlib = ModuleDefinition.ReadModule(Path.Combine(OracleTests.OracleDir, "mscorlib.dll"));
        Assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition(name, new Version(1, 0, 0, 0)), name, ModuleKind.Dll);
        Module = Assembly.MainModule;
        Type = new TypeDefinition("Limits", "Case", TypeAttributes.Public | TypeAttributes.Class, Import("System.Object"));
        Module.Types.Add(Type);
    }

    public AssemblyDefinition Assembly { get; }

    public ModuleDefinition Module { get; }

    public TypeDefinition Type { get; }

    public TypeReference Import(string fullName) =>
        Module.ImportReference(_corlib.GetType(fullName) ?? throw new ArgumentException(fullName));

    public MethodReference ImportMethod(string typeFullName, Func<MethodDefinition, bool> match) =>
        Module.ImportReference(_corlib.GetType(typeFullName).Methods.Single(match));

    public TypeDefinition NewType(string name)
    {
        var t = new TypeDefinition("Limits", name, TypeAttributes.Public | TypeAttributes.Class, Import("System.Object"));
        Module.Types.Add(t);
        return t;
    }

    public MethodDefinition Method(string name, Action<ILProcessor>? body = null, TypeDefinition? owner = null)
    {
        var m = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, Import("System.Void"));
        (owner ?? Type).Methods.Add(m);
        var il = m.Body.GetILProcessor();
        body?.Invoke(il);
        il.Emit(OpCodes.Ret);
        return m;
    }

    public FieldDefinition Field(string name, TypeReference type)
    {
        var f = new FieldDefinition(name, FieldAttributes.Public | FieldAttributes.Static, type);
        Type.Fields.Add(f);
        return f;
    }

    /// <summary>Writes the assembly to a fresh folder and runs the writer on it.</summary>
    public PeImage Compile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "onebit-pewriter-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, Module.Name);
            Assembly.Write(path);
            var options = new PeWriterOptions();
            options.ReferenceDirectories.Add(OracleTests.OracleDir);
            return PeWriter.Compile(path, options);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public void Dispose()
    {
        Assembly.Dispose();
        _corlib.Dispose();
    }
}
