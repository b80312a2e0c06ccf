using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace OneBit.PeWriter.Tests;

/// <summary>Each construct the stable firmware cannot load is refused, naming the member and the reason.</summary>
public class LimitTests
{
    private static PeLimitException Refused(CecilFixtures f) => Assert.Throws<PeLimitException>(() => f.Compile());

    [Fact]
    public void Baseline_fixture_compiles()
    {
        using var f = new CecilFixtures("Baseline");
        f.Method("Nothing");
        var image = f.Compile();
        Assert.Equal(1, PeLayout.Parse(image.Bytes).Count(PeTable.AssemblyRef));
    }

    [Fact]
    public void Generic_type_definition_is_refused()
    {
        using var f = new CecilFixtures("GenericType");
        f.Type.GenericParameters.Add(new GenericParameter("T", f.Type));
        var e = Refused(f);
        Assert.StartsWith("Limits.Case", e.Member);
        Assert.Contains("generic", e.Reason);
    }

    [Fact]
    public void Generic_method_definition_is_refused()
    {
        using var f = new CecilFixtures("GenericMethod");
        var m = f.Method("Pick");
        m.GenericParameters.Add(new GenericParameter("T", m));
        var e = Refused(f);
        Assert.Contains("Pick", e.Member);
        Assert.Contains("generic method definition", e.Reason);
    }

    [Fact]
    public void Generic_instance_use_is_refused()
    {
        using var f = new CecilFixtures("GenericUse");
        var action = new GenericInstanceType(f.Import("System.Action`1"));
        action.GenericArguments.Add(f.Import("System.Int32"));
        f.Field("callback", action);
        var e = Refused(f);
        Assert.Contains("callback", e.Member);
        Assert.Contains("generics", e.Reason);
    }

    [Fact]
    public void Pointer_field_is_refused()
    {
        using var f = new CecilFixtures("Pointer");
        f.Field("raw", new PointerType(f.Import("System.Int32")));
        var e = Refused(f);
        Assert.Contains("raw", e.Member);
        Assert.Contains("pointer", e.Reason);
    }

    [Fact]
    public void Pinned_local_is_refused()
    {
        using var f = new CecilFixtures("Pinned");
        var m = f.Method("Fix");
        m.Body.Variables.Add(new VariableDefinition(new PinnedType(new ByReferenceType(f.Import("System.Int32")))));
        var e = Refused(f);
        Assert.Contains("Fix", e.Member);
        Assert.Contains("pinned", e.Reason);
    }

    [Fact]
    public void Multidimensional_array_is_refused()
    {
        using var f = new CecilFixtures("MultiDim");
        f.Field("grid", new ArrayType(f.Import("System.Int32"), 2));
        var e = Refused(f);
        Assert.Contains("grid", e.Member);
        Assert.Contains("multidimensional", e.Reason);
    }

    [Fact]
    public void Calli_is_refused()
    {
        using var f = new CecilFixtures("Calli");
        f.Method("Indirect", il =>
        {
            il.Emit(OpCodes.Ldnull);
            il.Emit(OpCodes.Calli, new CallSite(f.Import("System.Void")));
        });
        var e = Refused(f);
        Assert.Contains("Indirect", e.Member);
        Assert.Contains("calli", e.Reason);
    }

    [Fact]
    public void Stackalloc_is_refused()
    {
        using var f = new CecilFixtures("Localloc");
        f.Method("Scratch", il =>
        {
            il.Emit(OpCodes.Ldc_I4, 16);
            il.Emit(OpCodes.Localloc);
            il.Emit(OpCodes.Pop);
        });
        var e = Refused(f);
        Assert.Contains("Scratch", e.Member);
        Assert.Contains("stackalloc", e.Reason);
    }

    [Fact]
    public void Custom_modifier_is_refused()
    {
        using var f = new CecilFixtures("Volatile");
        f.Field("flag", new RequiredModifierType(f.Import("System.Object"), f.Import("System.Int32")));
        var e = Refused(f);
        Assert.Contains("flag", e.Member);
        Assert.Contains("custom modifier", e.Reason);
    }

    [Fact]
    public void Varargs_method_is_refused()
    {
        using var f = new CecilFixtures("VarArgs");
        var m = f.Method("Many");
        m.CallingConvention = MethodCallingConvention.VarArg;
        var e = Refused(f);
        Assert.Contains("Many", e.Member);
        Assert.Contains("variable argument", e.Reason);
    }

    [Fact]
    public void Embedded_file_that_is_not_a_resources_file_is_refused()
    {
        using var f = new CecilFixtures("RawResource");
        f.Method("Nothing");
        f.Module.Resources.Add(new EmbeddedResource("Data.bin", ManifestResourceAttributes.Public, new byte[] { 1, 2, 3 }));
        var e = Refused(f);
        Assert.Equal("Data.bin", e.Member);
        Assert.Contains(".resources", e.Reason);
    }

    [Fact]
    public void Bitmap_resource_is_refused()
    {
        using var f = new CecilFixtures("BitmapResource");
        f.Method("Nothing");
        f.Module.Resources.Add(ResourceTests.ResourcesFile("Images.resources", w => w.AddResource("Logo", new byte[] { (byte)'B', (byte)'M', 0, 0, 0, 0, 0, 0 })));
        var e = Refused(f);
        Assert.Equal("Images.resources/Logo", e.Member);
        Assert.Contains("bitmap", e.Reason);
    }

    [Fact]
    public void More_than_64KB_of_strings_is_refused()
    {
        using var f = new CecilFixtures("ManyStrings");
        f.Method("Talk", il =>
        {
            for (int i = 0; i < 70; i++)
            {
                il.Emit(OpCodes.Ldstr, i.ToString("D4") + new string('x', 1000));
                il.Emit(OpCodes.Pop);
            }
        });
        var e = Refused(f);
        Assert.StartsWith("string \"", e.Member);
        Assert.Contains("string table", e.Reason);
    }

    [Fact]
    public void More_than_64KB_of_signatures_is_refused()
    {
        using var f = new CecilFixtures("ManySignatures");
        var types = new[] { "System.Int32", "System.Byte", "System.Int16", "System.Int64", "System.Boolean", "System.Char", "System.Double" }
            .Select(f.Import).ToArray();
        int n = 0;
        for (int t = 0; t < 25; t++)
        {
            var owner = f.NewType("Holder" + t);
            for (int k = 0; k < 200; k++, n++)
            {
                var m = new MethodDefinition("M" + k, MethodAttributes.Public | MethodAttributes.Static, f.Import("System.Void"))
                {
                    ImplAttributes = MethodImplAttributes.InternalCall,
                };
                int code = n;
                for (int p = 0; p < 14; p++)
                {
                    m.Parameters.Add(new ParameterDefinition(types[code % types.Length]));
                    code /= types.Length;
                }

                owner.Methods.Add(m);
            }
        }

        var e = Refused(f);
        Assert.Contains("signature table", e.Reason);
        Assert.Contains("::M", e.Member);
    }

    [Fact]
    public void More_than_64KB_of_byte_code_is_refused()
    {
        using var f = new CecilFixtures("BigBody");
        f.Method("Huge", il =>
        {
            for (int i = 0; i < 70000; i++)
            {
                il.Emit(OpCodes.Nop);
            }
        });
        var e = Refused(f);
        Assert.Contains("Huge", e.Member);
        Assert.Contains("byte code", e.Reason);
    }

    [Fact]
    public void More_than_255_static_fields_is_refused()
    {
        using var f = new CecilFixtures("ManyFields");
        for (int i = 0; i < 300; i++)
        {
            f.Field("f" + i, f.Import("System.Int32"));
        }

        var e = Refused(f);
        Assert.Equal("Limits.Case", e.Member);
        Assert.Contains("255", e.Reason);
    }
}
