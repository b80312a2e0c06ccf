using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using OneBit.Runtime;

namespace OneBit.ModelExport;

/// <summary>Reads and validates an export file (FORMAT.md). No TorchSharp dependency: this is what the
/// converter links against.</summary>
public static class ModelExportReader
{
    public static ExportedModel Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model export file not found: {path}", path);
        try { return FromBytes(File.ReadAllBytes(path)); }
        catch (ModelExportFormatException e) { throw new ModelExportFormatException($"{path}: {e.Message}"); }
    }

    public static ExportedModel FromBytes(byte[] b)
    {
        int hs = ModelExportFormat.HeaderSize;
        if (b.Length < hs) throw new ModelExportFormatException($"truncated: {b.Length} bytes, the header alone is {hs}");
        if (!b.AsSpan(0, 4).SequenceEqual(ModelExportFormat.Magic))
            throw new ModelExportFormatException("bad magic: expected 'OBMX' (a OneBit model export written by `onebit train`)");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4));
        if (version != ModelExportFormat.Version)
            throw new ModelExportFormatException($"format version {version} is not readable by this reader (reads {ModelExportFormat.Version}); " +
                "use a matching OneBit.ModelExport or re-export it from its checkpoint (`onebit train --resume <run>/checkpoint.obck`)");
        if (BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(6)) != hs) throw new ModelExportFormatException("bad header size");
        ulong jsonLen = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(8));
        ulong dataLen = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(16));
        ulong jsonPadded = (jsonLen + 15) & ~15UL;
        if ((ulong)hs + jsonPadded + dataLen != (ulong)b.Length)
            throw new ModelExportFormatException($"size mismatch: header says {hs}+{jsonPadded}+{dataLen} bytes, file has {b.Length} (truncated or appended to)");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(24));
        uint actual = Crc32.Compute(b, hs, b.Length - hs);
        if (crc != actual) throw new ModelExportFormatException($"CRC mismatch: stored 0x{crc:X8}, computed 0x{actual:X8} (file corrupted)");

        ModelExportFormat.Header header;
        try { header = JsonSerializer.Deserialize<ModelExportFormat.Header>(b.AsSpan(hs, (int)jsonLen), ModelExportFormat.Json)
                       ?? throw new ModelExportFormatException("empty JSON header"); }
        catch (JsonException e) { throw new ModelExportFormatException($"malformed JSON header: {e.Message}"); }

        var model = header.Model;
        long dataStart = hs + (long)jsonPadded;
        foreach (var e in header.Tensors)
        {
            long n = 1; foreach (long d in e.Shape) { if (d < 0) throw new ModelExportFormatException($"tensor '{e.Name}': negative dimension"); n *= d; }
            if (n != e.Count) throw new ModelExportFormatException($"tensor '{e.Name}': shape holds {n} values, count says {e.Count}");
            if (e.Offset < 0 || e.Offset % 4 != 0 || e.Offset + 4 * e.Count > (long)dataLen)
                throw new ModelExportFormatException($"tensor '{e.Name}': data range [{e.Offset}, +{4 * e.Count}) outside the data section ({dataLen} bytes)");
            var data = new float[e.Count];
            var src = b.AsSpan((int)(dataStart + e.Offset), (int)(4 * e.Count));
            if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
            else for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(4 * i));
            model.Tensors.Add(new ExportedTensor(e.Name, e.Shape, data));
        }
        Validate(model);
        return model;
    }

    /// <summary>Checks that every op references stored tensors of the right shape and that quantizer settings
    /// are ones the contract can express.</summary>
    public static void Validate(ExportedModel m)
    {
        for (int i = 0; i < m.Layers.Count; i++)
        {
            var l = m.Layers[i];
            string where = $"layer {i} ({l.Op} '{l.Name}')";
            switch (l.Op)
            {
                case LayerOps.Stem:
                case LayerOps.Conv:
                    if (l.Weight is null) throw new ModelExportFormatException($"{where}: no weight tensor");
                    var w = m.Tensor(l.Weight);
                    if (w.Shape.Length != 4 || w.Shape[0] != l.OutChannels || w.Shape[1] != l.InChannels || w.Shape[2] != l.Kernel || w.Shape[3] != l.Kernel)
                        throw new ModelExportFormatException($"{where}: weight shape [{string.Join(",", w.Shape)}] is not [{l.OutChannels},{l.InChannels},{l.Kernel},{l.Kernel}]");
                    break;
                case LayerOps.Quantize:
                    if (l.Bits is not (0 or 1 or 2 or 4 or 8)) throw new ModelExportFormatException($"{where}: bits {l.Bits} not in {{0,1,2,4,8}}");
                    if (l.Bits != 0 && (l.ZeroCode is null or < 0 || l.Delta is null or <= 0))
                        throw new ModelExportFormatException($"{where}: needs zeroCode ≥ 0 and delta > 0");
                    if (l.Step is double step && (l.Bits == 0 || !(step > 0) || double.IsInfinity(step)))
                        throw new ModelExportFormatException($"{where}: a step needs quantized activations and a finite value > 0, got {step}");
                    break;
                case LayerOps.Residual:
                    if (l.Shortcut is not ("identity" or "avgpool3x3s2")) throw new ModelExportFormatException($"{where}: unknown shortcut '{l.Shortcut}'");
                    if (l.Gain is double gain && !double.IsFinite(gain)) throw new ModelExportFormatException($"{where}: gain {gain} is not finite");
                    break;
                case LayerOps.GlobalPool:
                    break;
                default:
                    throw new ModelExportFormatException($"{where}: unknown op");
            }
            if (l.BatchNorm is { } bn) { m.Tensor(bn.Mean); m.Tensor(bn.Var); }
        }
    }
}
