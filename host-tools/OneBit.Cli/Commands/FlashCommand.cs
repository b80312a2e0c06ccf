using System.CommandLine;
using OneBit.DeviceBuild;

namespace OneBit.Cli.Commands;

/// <summary>`onebit flash`: nanoFramework firmware and/or the app image onto a board, through nanoff or esptool.</summary>
public static class FlashCommand
{
    public static Command Create()
    {
        var cmd = new Command("flash", "Write nanoFramework firmware and/or an app image (onebit build-device) to an ESP32 over a serial port, with nanoff or esptool");
        var port = new Option<string>("--port", "-p") { Description = "Serial port of the board (COM3, /dev/ttyUSB0)", Required = true };
        var image = new Option<string?>("--image", "-i") { Description = "App image to deploy (app.bin of onebit build-device)" };
        var address = new Option<string>("--address") { Description = $"Deploy partition address (nanoFramework 4 MB ESP32 layouts: 0x{FlashPlan.DefaultDeployAddress:X})", DefaultValueFactory = _ => $"0x{FlashPlan.DefaultDeployAddress:X}" };
        var deploySize = new Option<string>("--deploy-size") { Description = $"Deploy partition size (0x{FlashPlan.DefaultDeploySize:X} in the 4 MB table); esptool erases it before writing", DefaultValueFactory = _ => $"0x{FlashPlan.DefaultDeploySize:X}" };
        var firmware = new Option<bool>("--firmware") { Description = "Also write the nanoFramework firmware (nanoBooter/nanoCLR) first" };
        var target = new Option<string>("--target") { Description = "Firmware target (nanoff): ESP32_PSRAM_REV0 (WROVER), ESP32_REV0, ...", DefaultValueFactory = _ => "ESP32_PSRAM_REV0" };
        var fwVersion = new Option<string?>("--fw-version") { Description = "nanoff: firmware version (match the CoreLibrary version the app was built against)" };
        var clrFile = new Option<string?>("--clrfile", "--clr-file") { Description = "Custom firmware: the nanoCLR.bin of your own build (scripts/build-esp32-firmware.sh, device/FIRMWARE.md), checked and written before the app image; implies --firmware" };
        var fwDir = new Option<string?>("--firmware-dir") { Description = "esptool: folder with bootloader.bin, partitions_4mb.bin, nanoCLR.bin" };
        var massErase = new Option<bool>("--mass-erase") { Description = "Erase the whole flash first" };
        var tool = new Option<string>("--tool") { Description = "auto (nanoff if installed, else esptool), nanoff or esptool", DefaultValueFactory = _ => "auto" };
        var baud = new Option<int>("--baud") { Description = "esptool baud rate", DefaultValueFactory = _ => 921600 };
        var chip = new Option<string>("--chip") { Description = "esptool chip", DefaultValueFactory = _ => "esp32" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the commands instead of running them" };
        foreach (Option o in new Option[] { port, image, address, deploySize, firmware, target, fwVersion, clrFile, fwDir, massErase, tool, baud, chip, dryRun })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse =>
        {
            try
            {
                var request = new FlashRequest
                {
                    Port = parse.GetValue(port)!,
                    Image = parse.GetValue(image),
                    DeployAddress = FlashPlan.ParseAddress(parse.GetValue(address)!),
                    DeploySize = FlashPlan.ParseAddress(parse.GetValue(deploySize)!),
                    UpdateFirmware = parse.GetValue(firmware),
                    Target = parse.GetValue(target)!,
                    FirmwareVersion = parse.GetValue(fwVersion),
                    ClrFile = parse.GetValue(clrFile),
                    FirmwareDirectory = parse.GetValue(fwDir),
                    MassErase = parse.GetValue(massErase),
                    Baud = parse.GetValue(baud),
                    Chip = parse.GetValue(chip)!,
                    Tool = parse.GetValue(tool)!.ToLowerInvariant() switch
                    {
                        "auto" => FlashTool.Auto,
                        "nanoff" => FlashTool.Nanoff,
                        "esptool" => FlashTool.Esptool,
                        var other => throw new ArgumentException($"unknown --tool '{other}' (auto, nanoff, esptool)"),
                    },
                };
                bool dry = parse.GetValue(dryRun);
                var tools = ToolLocations.Detect();
                if (dry && tools.Nanoff == null && tools.Esptool == null)
                {
                    Console.WriteLine("# note: neither tool is installed here. " + FlashPlan.NanoffInstall + ". " + FlashPlan.EsptoolInstall);
                }

                if (dry)
                {
                    // show the plan even where the tools are not installed
                    tools = new ToolLocations(tools.Nanoff ?? "nanoff", tools.Esptool ?? new[] { "esptool" });
                }

                var commands = FlashPlan.Build(request, tools);
                Console.WriteLine($"plan ({commands.Count} step{(commands.Count == 1 ? "" : "s")}{(dry ? ", dry run: nothing is run" : "")}):");
                for (int i = 0; i < commands.Count; i++)
                {
                    Console.WriteLine($"# {i + 1}. {commands[i].Purpose}");
                    Console.WriteLine(commands[i].Display);
                }

                if (dry)
                {
                    return 0;
                }

                for (int i = 0; i < commands.Count; i++)
                {
                    var c = commands[i];
                    Console.WriteLine($"step {i + 1}/{commands.Count}: {Path.GetFileName(c.FileName)}");
                    var result = ProcessRunner.Run(c.FileName, c.Arguments, echo: Console.WriteLine, timeout: TimeSpan.FromMinutes(10));
                    if (result.ExitCode != 0)
                    {
                        Console.Error.WriteLine($"error: {Path.GetFileName(c.FileName)} exited with {result.ExitCode} in step {i + 1}/{commands.Count}"
                            + (i + 1 < commands.Count ? "; the later steps were not run" : ""));
                        return 1;
                    }
                }

                if (request.Image != null)
                {
                    Console.WriteLine($"done; watch the app with: onebit monitor --port {request.Port}");
                }

                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ToolMissingException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return cmd;
    }
}
