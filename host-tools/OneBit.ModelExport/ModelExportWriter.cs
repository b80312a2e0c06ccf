using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using OneBit.Runtime;

namespace OneBit.ModelExport;

/// <summary>Writes an export file (FORMAT.md). Atomic: the file appears complete or not at all.</summary>
public static class ModelExportWriter
{
    public static void Write(string path, ExportedModel model)
    {
        byte[] bytes = ToBytes(model);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static byte[] ToBytes(ExportedModel model)
    {
        var header = new ModelExportFormat.Header { Model = model };
        var names = new HashSet<string>();
        long offset = 0;
        foreach (var t in model.Tensors)
        {
            if (!names.Add(t.Name)) throw new ArgumentException($"duplicate tensor name '{t.Name}'");
            header.Tensors.Add(new ModelExportFormat.TensorEntry { Name = t.Name, Shape = t.Shape, Offset = offset, Count = t.Data.Length });
            offset += 4L * t.Data.Length;
        }
        model.FormatVersion = ModelExportFormat.Version;
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, ModelExportFormat.Json);
        int jsonPadded = (json.Length + 15) & ~15;

        var ms = new MemoryStream();
        var head = new byte[ModelExportFormat.HeaderSize];
        ModelExportFormat.Magic.CopyTo(head);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), (ushort)ModelExportFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(6), ModelExportFormat.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(8), (ulong)json.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(16), (ulong)offset);
        ms.Write(head);
        ms.Write(json);
        ms.Write(new byte[jsonPadded - json.Length]);
        foreach (var t in model.Tensors)
        {
            if (BitConverter.IsLittleEndian) ms.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
            else foreach (float f in t.Data) { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, f); ms.Write(b); }
        }
        byte[] all = ms.ToArray();
        uint crc = Crc32.Compute(all, ModelExportFormat.HeaderSize, all.Length - ModelExportFormat.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(24), crc);
        return all;
    }
}
