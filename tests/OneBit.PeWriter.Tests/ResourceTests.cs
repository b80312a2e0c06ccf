using System.Resources;
using System.Text;
using Mono.Cecil;
using Xunit;

namespace OneBit.PeWriter.Tests;

/// <summary>String and binary resources land in TBL_Resources / TBL_ResourcesData / TBL_ResourcesFiles.</summary>
public class ResourceTests
{
    internal static EmbeddedResource ResourcesFile(string name, Action<ResourceWriter> fill)
    {
        var stream = new MemoryStream();
        using (var writer = new ResourceWriter(stream))
        {
            fill(writer);
            writer.Generate();
            return new EmbeddedResource(name, ManifestResourceAttributes.Public, stream.ToArray());
        }
    }

    [Fact]
    public void Strings_and_binaries_are_sorted_by_id_and_closed_by_a_sentinel()
    {
        using var f = new CecilFixtures("WithResources");
        f.Method("Nothing");
        var blob = new byte[] { 9, 8, 7, 6, 5 };
        f.Module.Resources.Add(ResourcesFile("Fixture.Strings.resources", w =>
        {
            w.AddResource("Greeting", "hello nano");
            w.AddResource("Blob", blob);
            w.AddResource("Accented", "héllo");
        }));

        var reader = new PeReader(f.Compile().Bytes);
        var rows = reader.Resources().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal((short)0x7FFF, rows[^1].Id);
        Assert.Equal(0, rows[^1].Kind);
        var ids = rows.Take(3).Select(r => r.Id).ToList();
        Assert.Equal(ids.OrderBy(i => i), ids);

        var data = reader.Layout.TableBytes(PeTable.ResourcesData).ToArray();
        Assert.Equal((uint)data.Length, rows[^1].Offset);
        byte[] Payload(string name)
        {
            short id = ResourceTables.IdFromName(name);
            int i = rows.FindIndex(r => r.Id == id);
            return data[(int)rows[i].Offset..(int)rows[i + 1].Offset];
        }

        Assert.Equal(Encoding.UTF8.GetBytes("hello nano\0"), Payload("Greeting"));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo\0"), Payload("Accented"));
        Assert.Equal(blob, Payload("Blob"));
        Assert.Equal(3, rows.Single(r => r.Id == ResourceTables.IdFromName("Greeting")).Kind);
        Assert.Equal(4, rows.Single(r => r.Id == ResourceTables.IdFromName("Blob")).Kind);

        var file = Assert.Single(reader.ResourceFiles());
        Assert.Equal((2u, 4u, 8u, 3u, "Fixture.Strings.nanoresources", 0u), file);
    }

    [Fact]
    public void Assembly_without_resources_has_empty_resource_tables()
    {
        using var f = new CecilFixtures("NoResources");
        f.Method("Nothing");
        var layout = PeLayout.Parse(f.Compile().Bytes);
        Assert.Equal(0, layout.SizeOf(PeTable.Resources));
        Assert.Equal(0, layout.SizeOf(PeTable.ResourcesData));
        Assert.Equal(0, layout.SizeOf(PeTable.ResourcesFiles));
    }
}
