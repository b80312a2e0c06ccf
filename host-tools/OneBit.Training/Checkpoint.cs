using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneBit.Training;

/// <summary>
/// Training state after a whole epoch: options, network config (with the input statistics), epochs done,
/// curves so far, wall time, and every tensor that determines the future (parameters, BN running stats,
/// momentum buffers). The shuffling/augmentation RNG needs no state: it is a function of (seed, epoch)
/// (<see cref="DeterministicRng.ForEpoch"/>). Torch's own RNG only initializes weights, which the
/// checkpoint overwrites. Nothing in it depends on the device (<see cref="TrainingDevice"/>): tensors are copied to
/// the CPU to be written and onto the resuming run's device when read, so a run may change device on resume.
/// File: "OBCK", i32 version, i32 JSON length, JSON (UTF-8), i32 tensor count, then per tensor: i32 name
/// length, name (UTF-8), i32 rank, i64 dims, float32 data (little-endian). Written to a temp file and
/// renamed, so a crash mid-write leaves the previous checkpoint intact.
/// </summary>
public sealed class Checkpoint
{
    public const string FileName = "checkpoint.obck";
    const int Version = 1;

    public TrainOptions Options { get; set; } = new();
    public NetworkConfig Network { get; set; } = new();
    public int EpochsDone { get; set; }
    public double ElapsedSeconds { get; set; }
    public List<EpochRecord> History { get; set; } = new();
    [JsonIgnore] public Dictionary<string, (long[] Shape, float[] Data)> Tensors { get; set; } = new();

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        using (var w = new BinaryWriter(fs, Encoding.UTF8))
        {
            w.Write("OBCK"u8);
            w.Write(Version);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(this, Json);
            w.Write(json.Length); w.Write(json);
            w.Write(Tensors.Count);
            foreach (var (name, (shape, data)) in Tensors.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                byte[] n = Encoding.UTF8.GetBytes(name);
                w.Write(n.Length); w.Write(n);
                w.Write(shape.Length); foreach (long d in shape) w.Write(d);
                w.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            w.Flush();
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static Checkpoint Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path} (expected a {FileName} written by `onebit train`)", path);
        using var fs = File.OpenRead(path);
        using var r = new BinaryReader(fs, Encoding.UTF8);
        try
        {
            if (!r.ReadBytes(4).AsSpan().SequenceEqual("OBCK"u8)) throw new InvalidDataException("bad magic (not a OneBit checkpoint)");
            int v = r.ReadInt32();
            if (v != Version) throw new InvalidDataException($"checkpoint version {v}, this trainer reads {Version}");
            var ck = JsonSerializer.Deserialize<Checkpoint>(r.ReadBytes(r.ReadInt32()), Json) ?? throw new InvalidDataException("empty header");
            int count = r.ReadInt32();
            for (int t = 0; t < count; t++)
            {
                string name = Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));
                var shape = new long[r.ReadInt32()];
                long n = 1;
                for (int d = 0; d < shape.Length; d++) { shape[d] = r.ReadInt64(); n *= shape[d]; }
                var data = new float[n];
                int got = fs.Read(MemoryMarshal.AsBytes(data.AsSpan()));
                if (got != 4 * n) throw new EndOfStreamException();
                ck.Tensors[name] = (shape, data);
            }
            return ck;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"{path}: unreadable checkpoint: {e.Message}", e);
        }
    }
}
