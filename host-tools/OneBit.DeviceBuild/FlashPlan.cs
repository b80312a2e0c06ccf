using System.Globalization;

namespace OneBit.DeviceBuild;

public enum FlashTool
{
    /// <summary>nanoff when installed, else esptool.</summary>
    Auto,
    Nanoff,
    Esptool,
}

/// <summary>What `onebit flash` should write.</summary>
public sealed class FlashRequest
{
    /// <summary>Serial port of the board (COM3, /dev/ttyUSB0).</summary>
    public string Port { get; set; } = "";

    /// <summary>The app image (onebit build-device's app.bin); null: firmware only.</summary>
    public string? Image { get; set; }

    public uint DeployAddress { get; set; } = FlashPlan.DefaultDeployAddress;

    /// <summary>Size of the deploy partition (nanoFramework's 4 MB ESP32 table: 0x1C0000); the image must fit, and esptool erases it whole.</summary>
    public uint DeploySize { get; set; } = FlashPlan.DefaultDeploySize;

    /// <summary>Also write the nanoFramework firmware (nanoBooter/nanoCLR) first.</summary>
    public bool UpdateFirmware { get; set; }

    /// <summary>nanoff firmware target name (e.g. ESP32_PSRAM_REV0 for an ESP32-WROVER, ESP32_REV0 without PSRAM).</summary>
    public string Target { get; set; } = "ESP32_PSRAM_REV0";

    /// <summary>nanoff: firmware version to install (default: the latest stable one nanoff finds).</summary>
    public string? FirmwareVersion { get; set; }

    /// <summary>A nanoCLR.bin of our own firmware build (device/FIRMWARE.md) instead of the stock one; implies <see cref="UpdateFirmware"/>.
    /// nanoff: --clrfile (the bootloader and partition table come from its package for <see cref="Target"/>);
    /// esptool: written at 0x10000, with bootloader and partition table from <see cref="FirmwareDirectory"/> if given.</summary>
    public string? ClrFile { get; set; }

    /// <summary>Whether firmware is written: asked for, or a custom nanoCLR given.</summary>
    public bool WritesFirmware => UpdateFirmware || ClrFile != null;

    /// <summary>esptool: folder of the target's firmware package (bootloader.bin, partitions_4mb.bin, nanoCLR.bin).</summary>
    public string? FirmwareDirectory { get; set; }

    /// <summary>Erase the whole flash before writing the firmware.</summary>
    public bool MassErase { get; set; }

    public FlashTool Tool { get; set; } = FlashTool.Auto;

    /// <summary>esptool chip name.</summary>
    public string Chip { get; set; } = "esp32";

    public int Baud { get; set; } = 921600;
}

/// <summary>One external command of a flash plan.</summary>
public sealed record ToolCommand(string FileName, IReadOnlyList<string> Arguments, string Purpose)
{
    public string Display => ProcessRunner.CommandLine(FileName, Arguments);
}

/// <summary>Where the flashing tools are (null: not installed). <see cref="Esptool"/> is the command prefix (e.g. ["python3", "-m", "esptool"]).</summary>
public sealed record ToolLocations(string? Nanoff, IReadOnlyList<string>? Esptool)
{
    public static ToolLocations None { get; } = new(null, null);

    /// <summary>Looks for nanoff (dotnet global tool) and esptool (esptool, esptool.py, or python3 -m esptool).</summary>
    public static ToolLocations Detect()
    {
        var nanoff = ProcessRunner.FindOnPath("nanoff");
        IReadOnlyList<string>? esptool = null;
        foreach (var name in new[] { "esptool", "esptool.py" })
        {
            var path = ProcessRunner.FindOnPath(name);
            if (path != null)
            {
                esptool = new[] { path };
                break;
            }
        }

        if (esptool == null)
        {
            foreach (var python in new[] { "python3", "python" })
            {
                var path = ProcessRunner.FindOnPath(python);
                if (path == null)
                {
                    continue;
                }

                try
                {
                    if (ProcessRunner.Run(path, new[] { "-c", "import esptool" }, timeout: TimeSpan.FromSeconds(20)).ExitCode == 0)
                    {
                        esptool = new[] { path, "-m", "esptool" };
                        break;
                    }
                }
                catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException)
                {
                }
            }
        }

        return new ToolLocations(nanoff, esptool);
    }
}

/// <summary>
/// The exact command lines `onebit flash` runs, built without touching hardware (testable, shown by --dry-run).
/// nanoff (the nanoFramework firmware flasher, which drives esptool itself) is preferred:
/// <code>
///   nanoff --update --target ESP32_PSRAM_REV0 --serialport COM3 [--fwversion V] [--clrfile nanoCLR.bin] [--masserase]
///   nanoff --target ESP32_PSRAM_REV0 --serialport COM3 --deploy --image app.bin --address 0x1E0000
/// </code>
/// esptool writes the same bytes when given the firmware package's files:
/// <code>
///   esptool --chip esp32 --port /dev/ttyUSB0 --baud 921600 write_flash 0x1000 bootloader.bin 0x8000 partitions_4mb.bin 0x10000 nanoCLR.bin
///   (a custom nanoCLR alone, over nanoFramework's bootloader and partition table: write_flash 0x10000 nanoCLR.bin)
///   esptool --chip esp32 --port /dev/ttyUSB0 --baud 921600 erase_region 0x1E0000 0x1C0000
///   esptool --chip esp32 --port /dev/ttyUSB0 --baud 921600 write_flash 0x1E0000 app.bin
/// </code>
/// The deploy partition is erased whole before the image is written: nanoCLR walks the whole partition looking for
/// assembly headers (CLRStartup.cpp, LoadDeploymentAssemblies), so a stale assembly left behind the new image
/// could be loaded too.
/// Firmware is always written before the app image: the image is only loaded by the firmware it was built for.
/// A custom nanoCLR.bin is read before any command is made (<see cref="Esp32FirmwareImage"/>), so a wrong file is
/// refused with its reason rather than written over the board's firmware.
/// The deploy address is always passed explicitly (0x1E0000, the deployment partition of nanoFramework's 4 MB
/// ESP32 layouts; override it for other partition tables).
/// </summary>
public static class FlashPlan
{
    public const uint DefaultDeployAddress = 0x1E0000;

    /// <summary>nf-interpreter targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv: deploy, data 0x84, 0x1E0000, 0x1C0000.</summary>
    public const uint DefaultDeploySize = 0x1C0000;

    /// <summary>ESP32 (classic) firmware layout of nanoFramework's esp32 packages: file → flash offset.</summary>
    public static readonly IReadOnlyList<(string File, uint Offset)> Esp32FirmwareFiles = new[]
    {
        ("bootloader.bin", 0x1000u),
        ("partitions_4mb.bin", 0x8000u),
        ("nanoCLR.bin", 0x10000u),
    };

    public const string NanoffInstall = "nanoff is not installed. Install it with: dotnet tool install -g nanoff (and put ~/.dotnet/tools on PATH)";

    public const string EsptoolInstall = "esptool is not installed. Install it with: pip install esptool (or python3 -m pip install --user esptool; Debian/Ubuntu: apt-get install esptool)";

    /// <summary>Parses 0x1E0000, 1E0000h or decimal.</summary>
    public static uint ParseAddress(string text)
    {
        var t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : t.EndsWith('h') || t.EndsWith('H')
                ? uint.TryParse(t[..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
                : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok)
        {
            throw new ArgumentException($"not a flash address: '{text}' (write e.g. 0x1E0000)");
        }

        return value;
    }

    /// <summary>Builds the commands; throws <see cref="ArgumentException"/> for bad arguments and <see cref="ToolMissingException"/> (with install instructions) when the tool is absent.</summary>
    public static IReadOnlyList<ToolCommand> Build(FlashRequest r, ToolLocations tools)
    {
        if (string.IsNullOrWhiteSpace(r.Port))
        {
            throw new ArgumentException("give the board's serial port (--port COM3 or --port /dev/ttyUSB0)");
        }

        if (r.Image == null && !r.WritesFirmware)
        {
            throw new ArgumentException("nothing to do: give an app image (onebit build-device's app.bin), --firmware and/or --clrfile");
        }

        if (r.Image != null)
        {
            if (!File.Exists(r.Image))
            {
                throw new ArgumentException($"image not found: {r.Image} (make it with onebit build-device)");
            }

            if (r.DeployAddress % 0x1000 != 0)
            {
                throw new ArgumentException($"deploy address 0x{r.DeployAddress:X} is not at a 4 KB flash sector boundary");
            }

            long size = new FileInfo(r.Image).Length;
            if (size == 0 || size % AppImage.Alignment != 0)
            {
                throw new ArgumentException($"{r.Image} has {size} bytes: not an app image (a non-empty multiple of 4 bytes)");
            }

            if (r.DeploySize % 0x1000 != 0)
            {
                throw new ArgumentException($"deploy partition size 0x{r.DeploySize:X} is not a multiple of the 4 KB flash sector");
            }

            if (size > r.DeploySize)
            {
                throw new ArgumentException($"the image ({size} bytes) does not fit the deploy partition (0x{r.DeploySize:X} = {r.DeploySize} bytes at 0x{r.DeployAddress:X}); give --deploy-size for another partition table");
            }
        }

        var tool = r.Tool;
        if (tool == FlashTool.Auto)
        {
            tool = tools.Nanoff != null ? FlashTool.Nanoff
                : tools.Esptool != null ? FlashTool.Esptool
                : throw new ToolMissingException("neither nanoff nor esptool is installed." + Environment.NewLine + "  " + NanoffInstall + Environment.NewLine + "  " + EsptoolInstall);
        }

        var firmware = r.ClrFile == null ? null : Esp32FirmwareImage.Read(r.ClrFile);
        return tool == FlashTool.Nanoff ? Nanoff(r, tools, firmware) : Esptool(r, tools, firmware);
    }

    private static IReadOnlyList<ToolCommand> Nanoff(FlashRequest r, ToolLocations tools, Esp32FirmwareImage? firmware)
    {
        var exe = tools.Nanoff ?? throw new ToolMissingException(NanoffInstall);
        if (r.FirmwareDirectory != null)
        {
            throw new ArgumentException("--firmware-dir is for esptool; with nanoff use --fw-version or --clrfile");
        }

        if (firmware != null)
        {
            // nanoff refuses any other extension (its exit code E9012), case-sensitively
            if (Path.GetExtension(firmware.Path) != ".bin")
            {
                throw new ArgumentException($"nanoff takes a --clrfile only with the extension .bin: {firmware.Path}");
            }

            firmware.CheckChip(Esp32FirmwareImage.ChipOfTarget(r.Target), $"target {r.Target}",
                $"build the firmware for {r.Target} (scripts/build-esp32-firmware.sh <checkout> {r.Target}) or give its --target");
        }

        var list = new List<ToolCommand>();
        if (r.WritesFirmware)
        {
            var args = new List<string> { "--update", "--target", r.Target, "--serialport", r.Port };
            if (r.FirmwareVersion != null)
            {
                args.AddRange(new[] { "--fwversion", r.FirmwareVersion });
            }

            if (r.ClrFile != null)
            {
                args.AddRange(new[] { "--clrfile", r.ClrFile });
            }

            if (r.MassErase)
            {
                args.Add("--masserase");
            }

            list.Add(new ToolCommand(exe, args, firmware == null
                ? $"write nanoFramework firmware for {r.Target}"
                : $"write the custom firmware ({firmware.Describe()}) with the bootloader and partition table of nanoff's {r.Target} package"));
        }

        if (r.Image != null)
        {
            list.Add(new ToolCommand(exe, new[] { "--target", r.Target, "--serialport", r.Port, "--deploy", "--image", r.Image, "--address", $"0x{r.DeployAddress:X}" },
                $"write the app image to the deploy partition at 0x{r.DeployAddress:X}"));
        }

        return list;
    }

    private static IReadOnlyList<ToolCommand> Esptool(FlashRequest r, ToolLocations tools, Esp32FirmwareImage? firmware)
    {
        var prefix = tools.Esptool ?? throw new ToolMissingException(EsptoolInstall);
        if (r.FirmwareVersion != null)
        {
            throw new ArgumentException("--fw-version is a nanoff option; with esptool give --firmware-dir (bootloader.bin, partitions_4mb.bin, nanoCLR.bin)");
        }

        if (firmware != null)
        {
            firmware.CheckChip(Esp32FirmwareImage.ChipOfEsptoolName(r.Chip), $"--chip {r.Chip}", "give the firmware built for that chip, or the matching --chip");
            if (r.MassErase && r.FirmwareDirectory == null)
            {
                throw new ArgumentException("--mass-erase with esptool also erases the bootloader and partition table, and --clrfile writes nanoCLR only: "
                    + "give --firmware-dir with bootloader.bin and partitions_4mb.bin too");
            }
        }

        var common = prefix.Skip(1).Concat(new[] { "--chip", r.Chip, "--port", r.Port, "--baud", r.Baud.ToString(CultureInfo.InvariantCulture) }).ToList();
        var list = new List<ToolCommand>();
        if (r.MassErase)
        {
            list.Add(new ToolCommand(prefix[0], common.Append("erase_flash").ToList(), "erase the whole flash"));
        }

        if (firmware != null)
        {
            var args = new List<string>(common) { "write_flash" };
            foreach (var (file, offset) in Esp32FirmwareFiles)
            {
                if (file == "nanoCLR.bin")
                {
                    args.AddRange(new[] { $"0x{offset:X}", firmware.Path });
                }
                else if (r.FirmwareDirectory != null)
                {
                    args.AddRange(new[] { $"0x{offset:X}", FirmwareFile(r.FirmwareDirectory, file) });
                }
            }

            list.Add(new ToolCommand(prefix[0], args, r.FirmwareDirectory == null
                ? $"write the custom nanoCLR ({firmware.Describe()}) at 0x{NanoClrOffset:X}; the board keeps its bootloader and partition table (flash stock nanoFramework once first)"
                : $"write the custom firmware ({firmware.Describe()}) with bootloader and partition table from {r.FirmwareDirectory}"));
        }
        else if (r.UpdateFirmware)
        {
            if (r.FirmwareDirectory == null)
            {
                throw new ArgumentException("esptool needs the firmware files: --firmware-dir FOLDER with " + string.Join(", ", Esp32FirmwareFiles.Select(f => f.File)) +
                    " (the unpacked nanoFramework firmware package of your target), or install nanoff, which downloads them");
            }

            var args = new List<string>(common) { "write_flash" };
            foreach (var (file, offset) in Esp32FirmwareFiles)
            {
                args.AddRange(new[] { $"0x{offset:X}", FirmwareFile(r.FirmwareDirectory, file) });
            }

            list.Add(new ToolCommand(prefix[0], args, "write nanoFramework firmware (bootloader, partition table, nanoCLR)"));
        }

        if (r.Image != null)
        {
            if (!r.MassErase)
            {
                list.Add(new ToolCommand(prefix[0], common.Concat(new[] { "erase_region", $"0x{r.DeployAddress:X}", $"0x{r.DeploySize:X}" }).ToList(),
                    "erase the deploy partition (no stale assemblies behind the new image)"));
            }

            list.Add(new ToolCommand(prefix[0], common.Concat(new[] { "write_flash", $"0x{r.DeployAddress:X}", r.Image }).ToList(),
                $"write the app image to the deploy partition at 0x{r.DeployAddress:X}"));
        }

        return list;
    }

    private static uint NanoClrOffset => Esp32FirmwareFiles.First(f => f.File == "nanoCLR.bin").Offset;

    private static string FirmwareFile(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        return File.Exists(path) ? path : throw new ArgumentException($"firmware file missing: {path}");
    }
}

public sealed class ToolMissingException(string message) : Exception(message);
