using System.Text;

namespace OneBit.DeviceBuild;

/// <summary>One ESP32 chip family as a firmware image names it.</summary>
/// <param name="ChipId">esp_image_header_t.chip_id (ESP-IDF esp_app_format.h, esp_chip_id_t).</param>
/// <param name="FactorySize">size of the nanoCLR ("factory") partition in nf-interpreter's
/// targets/ESP32/_IDF/&lt;chip&gt;/partitions_nanoclr_4mb.csv; nanoCLR.bin must fit it.</param>
public sealed record Esp32Chip(string Name, ushort ChipId, uint FactorySize);

/// <summary>
/// What a nanoCLR.bin of an ESP32 firmware build says about itself, read before anything is flashed, so a wrong file
/// (the app image, an .elf, the bootloader, a build for another chip) is refused with its reason instead of being
/// written over the firmware. An ESP-IDF app image (ESP-IDF "App image format"): a 24-byte esp_image_header_t
/// (magic 0xE9, segment count, chip id at byte 12), the first segment's 8-byte header, and at byte 32 that
/// segment's first bytes, the esp_app_desc_t (magic word 0xABCD5432, version at +16, project name at +48,
/// ESP-IDF version at +112). nf-interpreter builds nanoCLR with the ESP-IDF project name "nanoCLR"
/// (CMake/binutils.ESP32.cmake, idf_build_process) and its BUILD_VERSION as the version.
/// </summary>
public sealed record Esp32FirmwareImage(string Path, long Size, Esp32Chip? Chip, ushort ChipId, int Segments,
    string ProjectName, string Version, string IdfVersion)
{
    public const byte ImageMagic = 0xE9;

    public const uint AppDescMagic = 0xABCD5432;

    private const int AppDescOffset = 32;

    private const int AppDescBytes = 256;

    /// <summary>Chips with a nanoFramework reference target; chip ids from ESP-IDF's esp_chip_id_t.</summary>
    public static readonly IReadOnlyList<Esp32Chip> Chips = new[]
    {
        new Esp32Chip("ESP32", 0x0000, 0x1D0000),
        new Esp32Chip("ESP32-S2", 0x0002, 0x1A0000),
        new Esp32Chip("ESP32-C3", 0x0005, 0x1A0000),
        new Esp32Chip("ESP32-S3", 0x0009, 0x1A0000),
        new Esp32Chip("ESP32-C6", 0x000D, 0x240000),
        new Esp32Chip("ESP32-H2", 0x0010, 0x1B0000),
        new Esp32Chip("ESP32-P4", 0x0012, 0x1A0000),
    };

    /// <summary>The chip a nanoFramework ESP32 target name is built for, by nf-interpreter's naming
    /// (targets/ESP32/CMakePresets.json: ESP32_S3_QUAD, ESP32_C3, ..., and the classic ESP32's ESP32_PSRAM_REV0,
    /// ESP32_REV3, ESP_WROVER_KIT, ...); null for names that do not say (community boards such as M5Core).</summary>
    public static Esp32Chip? ChipOfTarget(string target)
    {
        var t = target.ToUpperInvariant();
        foreach (var (prefix, chip) in new[] { ("ESP32_S2", "ESP32-S2"), ("ESP32_S3", "ESP32-S3"), ("ESP32_C3", "ESP32-C3"),
                     ("ESP32_C6", "ESP32-C6"), ("ESP32_H2", "ESP32-H2"), ("ESP32_P4", "ESP32-P4") })
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Chips.First(c => c.Name == chip);
            }
        }

        // ESP32_C5 and ESP32_C61 have no entry above: their chip ids are not checked
        bool otherSeries = t.StartsWith("ESP32_C", StringComparison.Ordinal) || t.StartsWith("ESP32_H", StringComparison.Ordinal);
        return !otherSeries && (t.StartsWith("ESP32_", StringComparison.Ordinal) || t == "ESP_WROVER_KIT") ? Chips[0] : null;
    }

    /// <summary>The chip of an esptool --chip name (esp32, esp32s3, ...); null for others.</summary>
    public static Esp32Chip? ChipOfEsptoolName(string chip) =>
        Chips.FirstOrDefault(c => string.Equals(c.Name.Replace("-", ""), chip, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and checks a nanoCLR firmware file; throws <see cref="ArgumentException"/> saying what the file is instead.</summary>
    public static Esp32FirmwareImage Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"firmware file not found: {path} (build it with scripts/build-esp32-firmware.sh; see device/FIRMWARE.md)");
        }

        long size = new FileInfo(path).Length;
        var head = new byte[(int)Math.Min(size, AppDescOffset + AppDescBytes)];
        using (var f = File.OpenRead(path))
        {
            f.ReadExactly(head);
        }

        string what = $"{path} ({size} bytes)";
        if (head.Length >= 6 && Encoding.ASCII.GetString(head, 0, 5) == "NFMRK")
        {
            throw new ArgumentException($"{what} is a nanoFramework deployment image (.pe assemblies), not firmware: give it as --image");
        }

        if (head.Length >= 4 && head[0] == 0x7F && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F')
        {
            throw new ArgumentException($"{what} is an ELF file: give the nanoCLR.bin the build writes beside nanoCLR.elf");
        }

        if (head.Length == 0 || head[0] != ImageMagic)
        {
            string first = head.Length == 0 ? "it is empty" : $"its first byte is 0x{head[0]:X2}";
            throw new ArgumentException($"{what} is not an ESP32 firmware image: {first}, an ESP-IDF app image starts with 0x{ImageMagic:X2}");
        }

        if (head.Length < AppDescOffset + AppDescBytes)
        {
            throw new ArgumentException($"{what} is too short for an ESP32 app image with its application description ({AppDescOffset + AppDescBytes} bytes)");
        }

        int segments = head[1];
        if (segments < 1 || segments > 16)
        {
            throw new ArgumentException($"{what} has a damaged ESP32 image header: {segments} segments (1 to 16)");
        }

        if (BitConverter.ToUInt32(head, AppDescOffset) != AppDescMagic)
        {
            throw new ArgumentException($"{what} is an ESP32 image without ESP-IDF's application description (magic 0x{AppDescMagic:X8} at byte {AppDescOffset}): "
                + "a bootloader or another non-application image, not nanoCLR.bin");
        }

        ushort chipId = BitConverter.ToUInt16(head, 12);
        var chip = Chips.FirstOrDefault(c => c.ChipId == chipId);
        var image = new Esp32FirmwareImage(path, size, chip, chipId, segments, CString(head, AppDescOffset + 48, 32),
            CString(head, AppDescOffset + 16, 32), CString(head, AppDescOffset + 112, 32));

        if (image.ProjectName.Length > 0 && image.ProjectName != "nanoCLR")
        {
            throw new ArgumentException($"{what} is the ESP-IDF application '{image.ProjectName}', not nanoCLR (nf-interpreter's ESP32 builds are named nanoCLR)");
        }

        if (chip != null && size > chip.FactorySize)
        {
            throw new ArgumentException($"{what} does not fit the {chip.Name} nanoCLR partition (0x{chip.FactorySize:X} = {chip.FactorySize} bytes in nanoFramework's partition tables)");
        }

        return image;
    }

    /// <summary>Refuses an image built for another chip than <paramref name="expected"/> (null: not checked), named by <paramref name="board"/> (e.g. "target ESP32_PSRAM_REV0").</summary>
    public Esp32FirmwareImage CheckChip(Esp32Chip? expected, string board, string fix)
    {
        if (expected != null && expected.ChipId != ChipId)
        {
            throw new ArgumentException($"{Path} is built for {ChipName}, but {board} is an {expected.Name}: {fix}");
        }

        return this;
    }

    public string ChipName => Chip?.Name ?? $"chip id 0x{ChipId:X4}";

    /// <summary>One line for the flash plan: what is about to be written.</summary>
    public string Describe() =>
        $"{System.IO.Path.GetFileName(Path)}: {ProjectName} {Version} for {ChipName}, ESP-IDF {IdfVersion}, {Size} bytes";

    private static string CString(byte[] bytes, int offset, int length)
    {
        int end = Array.IndexOf(bytes, (byte)0, offset, length);
        var text = Encoding.ASCII.GetString(bytes, offset, (end < 0 ? offset + length : end) - offset);
        return new string(text.Select(c => c < ' ' || c > '~' ? '?' : c).ToArray());
    }
}
