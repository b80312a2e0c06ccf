using System.Text.Json;
using System.Text.Json.Serialization;
using OneBit.PeWriter;

namespace OneBit.DeviceBuild;

/// <summary>
/// A deployable app image (DESIGN.md §4): every .pe of the app, mscorlib first, then each assembly after the ones
/// it references (nanoCLR resolves references while loading the deployment area in order), each padded with zeros
/// to a multiple of 4 bytes, concatenated. Written as-is to the deploy partition (0x1E0000 on current 4 MB ESP32
/// layouts), e.g. by `nanoff --deploy --image app.bin --address 0x1E0000`.
/// </summary>
public sealed class AppImage
{
    public const int Alignment = 4;
    public const string CoreLibrary = "mscorlib";

    private AppImage(byte[] bytes, IReadOnlyList<ImageEntry> entries)
    {
        Bytes = bytes;
        Entries = entries;
    }

    public byte[] Bytes { get; }

    public IReadOnlyList<ImageEntry> Entries { get; }

    /// <summary>CRC-32 of the whole image (the nanoCLR CRC: polynomial 0x04C11DB7, MSB first, seed 0).</summary>
    public uint Crc => Crc32Mpeg2.Compute(Bytes);

    /// <summary>
    /// Orders the assemblies (mscorlib first, every assembly after its references, otherwise in the given order) and
    /// concatenates them. Every reference must be satisfied by an assembly of the set with the same major.minor
    /// version; <paramref name="warnings"/> receives build/revision mismatches (nanoCLR accepts those).
    /// </summary>
    /// <exception cref="ImageException">no mscorlib, duplicate names, missing references, reference cycles</exception>
    public static AppImage Build(IEnumerable<PeFile> files, ICollection<string>? warnings = null)
    {
        var list = files.ToList();
        var byName = new Dictionary<string, PeFile>(StringComparer.Ordinal);
        foreach (var f in list)
        {
            if (!byName.TryAdd(f.Name, f))
            {
                throw new ImageException($"assembly '{f.Name}' given twice ({byName[f.Name].Origin} and {f.Origin})");
            }
        }

        if (!byName.ContainsKey(CoreLibrary))
        {
            throw new ImageException("no mscorlib.pe: every app image starts with the core library (NuGet nanoFramework.CoreLibrary, lib/mscorlib.pe)");
        }

        var missing = new List<string>();
        foreach (var f in list)
        {
            foreach (var (name, version) in f.References)
            {
                if (!byName.TryGetValue(name, out var target))
                {
                    missing.Add($"{f.Name} references {name} {version}, which is not in the image");
                }
                else if (target.Version.Major != version.Major || target.Version.Minor != version.Minor)
                {
                    missing.Add($"{f.Name} references {name} {version}, the image has {target.Version}");
                }
                else if (target.Version != version)
                {
                    warnings?.Add($"{f.Name} references {name} {version}, the image has {target.Version}");
                }
            }
        }

        if (missing.Count > 0)
        {
            throw new ImageException("the image is incomplete:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", missing));
        }

        // depth-first post-order from mscorlib, then the rest in the given order
        var ordered = new List<PeFile>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        void Visit(PeFile f, Stack<string> path)
        {
            if (state.TryGetValue(f.Name, out var s))
            {
                if (s == 1)
                {
                    throw new ImageException("assembly reference cycle: " + string.Join(" -> ", path.Reverse().Append(f.Name)));
                }

                return;
            }

            state[f.Name] = 1;
            path.Push(f.Name);
            foreach (var (name, _) in f.References)
            {
                Visit(byName[name], path);
            }

            path.Pop();
            state[f.Name] = 2;
            ordered.Add(f);
        }

        Visit(byName[CoreLibrary], new Stack<string>());
        if (ordered.Count != 1)
        {
            throw new ImageException("mscorlib references other assemblies: " + string.Join(", ", byName[CoreLibrary].References.Select(r => r.Name)));
        }

        foreach (var f in list)
        {
            Visit(f, new Stack<string>());
        }

        return Concatenate(ordered);
    }

    /// <summary>Concatenates in exactly the given order (no checks beyond alignment); <see cref="Build"/> is the safe entry.</summary>
    public static AppImage Concatenate(IReadOnlyList<PeFile> ordered)
    {
        var entries = new List<ImageEntry>();
        using var ms = new MemoryStream();
        foreach (var f in ordered)
        {
            long offset = ms.Position;
            ms.Write(f.Bytes);
            int pad = (Alignment - f.Bytes.Length % Alignment) % Alignment;
            ms.Write(new byte[pad]);
            entries.Add(new ImageEntry(f.Name, f.Version.ToString(), offset, f.Bytes.Length, pad, Crc32Mpeg2.Compute(f.Bytes),
                f.HeaderCrc, f.AssemblyCrc, f.NativeMethodsChecksum, f.References.Select(r => r.Name).ToList(), f.Origin));
        }

        return new AppImage(ms.ToArray(), entries);
    }

    /// <summary>The manifest written beside the image: addresses, sizes and CRCs of every .pe.</summary>
    public ImageManifest Manifest(uint deployAddress, string? model = null) => new(
        ImageManifest.CurrentFormat, Bytes.Length, $"0x{Crc:X8}", $"0x{deployAddress:X}", model,
        Entries.Select(e => new ManifestEntry(e.Name, e.Version, e.Offset, $"0x{deployAddress + e.Offset:X}", e.Size, e.Padding,
            $"0x{e.Crc:X8}", $"0x{e.HeaderCrc:X8}", $"0x{e.AssemblyCrc:X8}", $"0x{e.NativeMethodsChecksum:X8}", e.References, e.Origin)).ToList());

    /// <summary>Writes <paramref name="path"/> and its manifest (<c>path</c> with ".manifest.json").</summary>
    public string Write(string path, uint deployAddress, string? model = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, Bytes);
        string manifestPath = ManifestPath(path);
        File.WriteAllText(manifestPath, JsonSerializer.Serialize(Manifest(deployAddress, model), ImageManifest.JsonOptions) + Environment.NewLine);
        return manifestPath;
    }

    public static string ManifestPath(string imagePath) => Path.ChangeExtension(imagePath, ".manifest.json");
}

/// <summary>One .pe inside an image.</summary>
public sealed record ImageEntry(string Name, string Version, long Offset, int Size, int Padding, uint Crc, uint HeaderCrc,
    uint AssemblyCrc, uint NativeMethodsChecksum, IReadOnlyList<string> References, string Origin);

public sealed record ImageManifest(
    int Format, long Size, string Crc32, string DeployAddress, string? Model, IReadOnlyList<ManifestEntry> Assemblies)
{
    public const int CurrentFormat = 1;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ImageManifest Read(string path) =>
        JsonSerializer.Deserialize<ImageManifest>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path}: empty manifest");
}

/// <summary>
/// A manifest row. <c>Crc32</c> covers the .pe's bytes (without padding); <c>HeaderCrc</c>/<c>AssemblyCrc</c> are the
/// CRCs in its header that nanoCLR verifies; <c>Address</c> is where the .pe lands in flash.
/// </summary>
public sealed record ManifestEntry(string Name, string Version, long Offset, string Address, int Size, int Padding, string Crc32,
    string HeaderCrc, string AssemblyCrc, string NativeMethodsChecksum, IReadOnlyList<string> References, string Origin);

public sealed class ImageException(string message) : Exception(message);
