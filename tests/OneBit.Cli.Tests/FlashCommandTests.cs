using System.Text;

namespace OneBit.Cli.Tests;

/// <summary>
/// `onebit flash --clrfile` as a user runs it: the whole plan printed first, custom firmware before the app image,
/// nothing run with --dry-run; a wrong firmware file refused before any plan. The exact command lines of every
/// case are in tests/OneBit.DeviceBuild.Tests/FlashPlanTests.
/// </summary>
public class FlashCommandTests
{
    /// <summary>A 64 KB file that starts as nf-interpreter's ESP32 nanoCLR.bin does (ESP-IDF image header with chip
    /// id 0, the ESP32; esp_app_desc_t at byte 32), and a zero-filled 1 KB app image.</summary>
    private static (string Clr, string Image) Files()
    {
        string dir = Cli.TempDir();
        var clr = new byte[0x10000];
        clr[0] = 0xE9;
        clr[1] = 4;
        BitConverter.GetBytes(0xABCD5432u).CopyTo(clr, 32);
        foreach (var (offset, text) in new[] { (48, "1.12.0.999"), (80, "nanoCLR"), (144, "v5.5.4") })
        {
            Encoding.ASCII.GetBytes(text).CopyTo(clr, offset);
        }

        File.WriteAllBytes(Path.Combine(dir, "nanoCLR.bin"), clr);
        File.WriteAllBytes(Path.Combine(dir, "app.bin"), new byte[1024]);
        return (Path.Combine(dir, "nanoCLR.bin"), Path.Combine(dir, "app.bin"));
    }

    [Theory]
    [InlineData("--clrfile")]
    [InlineData("--clr-file")]
    public void DryRunPrintsThePlanWithTheCustomFirmwareFirst(string option)
    {
        var (clr, image) = Files();

        Cli.Result r = Cli.Run(null, "flash", "--port", "/dev/ttyUSB0", "--image", image, option, clr, "--tool", "nanoff", "--dry-run");

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("# note:")).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.Equal("plan (2 steps, dry run: nothing is run):", lines[0]);
        Assert.Equal("# 1. write the custom firmware (nanoCLR.bin: nanoCLR 1.12.0.999 for ESP32, ESP-IDF v5.5.4, 65536 bytes) "
            + "with the bootloader and partition table of nanoff's ESP32_PSRAM_REV0 package", lines[1]);
        Assert.EndsWith($"nanoff --update --target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB0 --clrfile {clr}", lines[2]);
        Assert.Equal("# 2. write the app image to the deploy partition at 0x1E0000", lines[3]);
        Assert.EndsWith($"nanoff --target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB0 --deploy --image {image} --address 0x1E0000", lines[4]);
    }

    [Fact]
    public void AWrongFirmwareFileIsRefusedBeforeAnyPlan()
    {
        var (_, image) = Files();

        Cli.Result r = Cli.Run(null, "flash", "--port", "/dev/ttyUSB0", "--image", image, "--clrfile", image, "--tool", "nanoff", "--dry-run");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: {image} (1024 bytes) is not an ESP32 firmware image: its first byte is 0x00, an ESP-IDF app image starts with 0xE9", r.Err.Trim());
        Assert.DoesNotContain("plan", r.Out);
    }
}
