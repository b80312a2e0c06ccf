using System.Text;
using OneBit.DeviceBuild;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

public class FlashPlanTests
{
    private static readonly ToolLocations Both = new("/opt/tools/nanoff", new[] { "/usr/bin/python3", "-m", "esptool" });

    private static string Image(int size = 1024)
    {
        var path = Path.Combine(TestSupport.TempDir("flash"), "app.bin");
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }

    [Fact]
    public void NanoffDeploysTheImageAtTheDefaultAddress()
    {
        var image = Image();
        var plan = FlashPlan.Build(new FlashRequest { Port = "/dev/ttyUSB0", Image = image }, Both);
        var c = Assert.Single(plan);
        Assert.Equal("/opt/tools/nanoff", c.FileName);
        Assert.Equal(new[] { "--target", "ESP32_PSRAM_REV0", "--serialport", "/dev/ttyUSB0", "--deploy", "--image", image, "--address", "0x1E0000" }, c.Arguments);
    }

    [Fact]
    public void NanoffFirmwareThenDeployWithOverriddenAddress()
    {
        var image = Image();
        var plan = FlashPlan.Build(new FlashRequest
        {
            Port = "COM3", Image = image, UpdateFirmware = true, Target = "ESP32_REV0", FirmwareVersion = "1.12.0.100",
            MassErase = true, DeployAddress = FlashPlan.ParseAddress("0x190000"),
        }, Both);
        Assert.Equal(2, plan.Count);
        Assert.Equal(new[] { "--update", "--target", "ESP32_REV0", "--serialport", "COM3", "--fwversion", "1.12.0.100", "--masserase" }, plan[0].Arguments);
        Assert.Equal("0x190000", plan[1].Arguments[^1]);
        Assert.Contains("--deploy", plan[1].Arguments);
    }

    [Fact]
    public void EsptoolWritesFirmwareFilesAndImageAtExplicitOffsets()
    {
        var image = Image();
        var fw = TestSupport.TempDir("firmware");
        foreach (var (file, _) in FlashPlan.Esp32FirmwareFiles)
        {
            File.WriteAllBytes(Path.Combine(fw, file), new byte[16]);
        }

        var plan = FlashPlan.Build(new FlashRequest { Port = "/dev/ttyUSB1", Image = image, UpdateFirmware = true, FirmwareDirectory = fw, Tool = FlashTool.Esptool }, Both);
        Assert.Equal(3, plan.Count);
        Assert.All(plan, c => Assert.Equal("/usr/bin/python3", c.FileName));
        Assert.Equal(new[] { "-m", "esptool", "--chip", "esp32", "--port", "/dev/ttyUSB1", "--baud", "921600", "write_flash",
            "0x1000", Path.Combine(fw, "bootloader.bin"), "0x8000", Path.Combine(fw, "partitions_4mb.bin"), "0x10000", Path.Combine(fw, "nanoCLR.bin") }, plan[0].Arguments);
        // the whole deploy partition is erased first: nanoCLR would also load stale assemblies behind the image
        Assert.Equal(new[] { "erase_region", "0x1E0000", "0x1C0000" }, plan[1].Arguments.TakeLast(3));
        Assert.Equal(new[] { "write_flash", "0x1E0000", image }, plan[2].Arguments.TakeLast(3));
        Assert.StartsWith("/usr/bin/python3 -m esptool --chip esp32", plan[2].Display);
    }

    [Fact]
    public void AutoPrefersNanoffThenEsptool()
    {
        var image = Image();
        Assert.Equal("/opt/tools/nanoff", FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image }, Both)[0].FileName);
        var esptoolOnly = new ToolLocations(null, new[] { "esptool" });
        var c = FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image }, esptoolOnly)[^1];
        Assert.Equal("esptool", c.FileName);
        Assert.Equal("--chip", c.Arguments[0]);
        Assert.Equal("write_flash", c.Arguments[^3]);
    }

    [Fact]
    public void MissingToolsSayHowToInstallThem()
    {
        var image = Image();
        var e = Assert.Throws<ToolMissingException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image }, ToolLocations.None));
        Assert.Contains("dotnet tool install -g nanoff", e.Message);
        Assert.Contains("pip install esptool", e.Message);
        Assert.Contains("dotnet tool install -g nanoff",
            Assert.Throws<ToolMissingException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, Tool = FlashTool.Nanoff }, new ToolLocations(null, new[] { "esptool" }))).Message);
        Assert.Contains("pip install esptool",
            Assert.Throws<ToolMissingException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, Tool = FlashTool.Esptool }, new ToolLocations("nanoff", null))).Message);
    }

    [Theory]
    [InlineData("0x1E0000", 0x1E0000u)]
    [InlineData("0X1e0000", 0x1E0000u)]
    [InlineData("1E0000h", 0x1E0000u)]
    [InlineData("1966080", 0x1E0000u)]
    public void AddressesParse(string text, uint value) => Assert.Equal(value, FlashPlan.ParseAddress(text));

    [Theory]
    [InlineData("0xZZ")]
    [InlineData("-5")]
    [InlineData("")]
    public void BadAddressesAreRefused(string text) => Assert.Throws<ArgumentException>(() => FlashPlan.ParseAddress(text));

    [Fact]
    public void ArgumentErrors()
    {
        var image = Image();
        Assert.Contains("serial port", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Image = image }, Both)).Message);
        Assert.Contains("nothing to do", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3" }, Both)).Message);
        Assert.Contains("not found", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image + ".missing" }, Both)).Message);
        Assert.Contains("4 KB", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, DeployAddress = 0x1E0010 }, Both)).Message);
        Assert.Contains("multiple of 4", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = Image(1023) }, Both)).Message);
        Assert.Contains("does not fit the deploy partition", Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest { Port = "COM3", Image = Image(0x1C0004) }, Both)).Message);
        Assert.Single(FlashPlan.Build(new FlashRequest { Port = "COM3", Image = Image(0x1C0000) }, Both));
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() =>
            FlashPlan.Build(new FlashRequest { Port = "COM3", Image = Image(0x2000), DeploySize = 0x1000 }, Both)).Message);
        Assert.Contains("--firmware-dir", Assert.Throws<ArgumentException>(() =>
            FlashPlan.Build(new FlashRequest { Port = "COM3", UpdateFirmware = true, Tool = FlashTool.Esptool }, Both)).Message);
        Assert.Contains("nanoff option", Assert.Throws<ArgumentException>(() =>
            FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, FirmwareVersion = "1.0", Tool = FlashTool.Esptool }, Both)).Message);
    }

    private static string Firmware(byte[]? bytes = null, string name = "nanoCLR.bin") => FakeNanoClr.Write(TestSupport.TempDir("clr"), name, bytes);

    [Fact]
    public void NanoffWritesTheCustomFirmwareBeforeTheImage()
    {
        var image = Image();
        var clr = Firmware();
        // --clrfile alone implies the firmware update
        var plan = FlashPlan.Build(new FlashRequest { Port = "/dev/ttyUSB0", Image = image, ClrFile = clr }, Both);
        Assert.Equal(2, plan.Count);
        Assert.All(plan, c => Assert.Equal("/opt/tools/nanoff", c.FileName));
        Assert.Equal(new[] { "--update", "--target", "ESP32_PSRAM_REV0", "--serialport", "/dev/ttyUSB0", "--clrfile", clr }, plan[0].Arguments);
        Assert.Equal(new[] { "--target", "ESP32_PSRAM_REV0", "--serialport", "/dev/ttyUSB0", "--deploy", "--image", image, "--address", "0x1E0000" }, plan[1].Arguments);
        Assert.Equal("write the custom firmware (nanoCLR.bin: nanoCLR 1.12.0.999 for ESP32, ESP-IDF v5.5.4, 65536 bytes) "
            + "with the bootloader and partition table of nanoff's ESP32_PSRAM_REV0 package", plan[0].Purpose);
        Assert.Equal($"/opt/tools/nanoff --update --target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB0 --clrfile {clr}", plan[0].Display);
    }

    [Fact]
    public void NanoffCustomFirmwareKeepsVersionAndMassEraseAndMayComeAlone()
    {
        var clr = Firmware(FakeNanoClr.Bytes(chipId: 0x0009));
        var plan = FlashPlan.Build(new FlashRequest
        {
            Port = "COM3", ClrFile = clr, UpdateFirmware = true, Target = "ESP32_S3_QUAD", FirmwareVersion = "1.12.0.100", MassErase = true,
        }, Both);
        var c = Assert.Single(plan);
        Assert.Equal(new[] { "--update", "--target", "ESP32_S3_QUAD", "--serialport", "COM3", "--fwversion", "1.12.0.100", "--clrfile", clr, "--masserase" }, c.Arguments);
        Assert.Contains("for ESP32-S3", c.Purpose);
    }

    [Fact]
    public void EsptoolWritesTheCustomNanoClrAloneOrWithTheFirmwareFolder()
    {
        var image = Image();
        var clr = Firmware();
        var alone = FlashPlan.Build(new FlashRequest { Port = "/dev/ttyUSB1", Image = image, ClrFile = clr, Tool = FlashTool.Esptool }, Both);
        Assert.Equal(3, alone.Count);
        Assert.Equal(new[] { "-m", "esptool", "--chip", "esp32", "--port", "/dev/ttyUSB1", "--baud", "921600", "write_flash", "0x10000", clr }, alone[0].Arguments);
        Assert.Contains("keeps its bootloader and partition table", alone[0].Purpose);
        Assert.Equal(new[] { "erase_region", "0x1E0000", "0x1C0000" }, alone[1].Arguments.TakeLast(3));
        Assert.Equal(new[] { "write_flash", "0x1E0000", image }, alone[2].Arguments.TakeLast(3));

        // with a firmware folder: its bootloader and partition table, our nanoCLR (the folder's nanoCLR.bin is not needed)
        var fw = TestSupport.TempDir("firmware");
        File.WriteAllBytes(Path.Combine(fw, "bootloader.bin"), new byte[16]);
        File.WriteAllBytes(Path.Combine(fw, "partitions_4mb.bin"), new byte[16]);
        var full = FlashPlan.Build(new FlashRequest { Port = "/dev/ttyUSB1", ClrFile = clr, FirmwareDirectory = fw, MassErase = true, Tool = FlashTool.Esptool }, Both);
        Assert.Equal(2, full.Count);
        Assert.Equal("erase_flash", full[0].Arguments[^1]);
        Assert.Equal(new[] { "write_flash", "0x1000", Path.Combine(fw, "bootloader.bin"), "0x8000", Path.Combine(fw, "partitions_4mb.bin"), "0x10000", clr },
            full[1].Arguments.Skip(8));
    }

    [Fact]
    public void TheFirmwareFileIsCheckedBeforeAnyCommand()
    {
        var image = Image();
        string Error(string clr, string target = "ESP32_PSRAM_REV0", FlashTool tool = FlashTool.Nanoff, string chip = "esp32", bool massErase = false) =>
            Assert.Throws<ArgumentException>(() => FlashPlan.Build(new FlashRequest
            {
                Port = "COM3", Image = image, ClrFile = clr, Target = target, Tool = tool, Chip = chip, MassErase = massErase,
            }, Both)).Message;

        Assert.StartsWith("firmware file not found: ", Error(Image() + ".missing"));
        Assert.Contains("is a nanoFramework deployment image (.pe assemblies), not firmware: give it as --image",
            Error(Firmware(Encoding.ASCII.GetBytes("NFMRK1").Concat(new byte[1018]).ToArray())));
        Assert.Contains("is an ELF file", Error(Firmware(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0 })));
        Assert.Contains("(1024 bytes) is not an ESP32 firmware image: its first byte is 0x00, an ESP-IDF app image starts with 0xE9", Error(image));
        Assert.Contains("it is empty", Error(Firmware(Array.Empty<byte>())));
        Assert.Contains("too short", Error(Firmware(FakeNanoClr.Bytes()[..200])));
        Assert.Contains("0 segments", Error(Firmware(FakeNanoClr.Bytes(segments: 0))));
        Assert.Contains("without ESP-IDF's application description", Error(Firmware(FakeNanoClr.Bytes(appDesc: false), "bootloader.bin")));
        Assert.Contains("is the ESP-IDF application 'blink', not nanoCLR", Error(Firmware(FakeNanoClr.Bytes(project: "blink"))));
        Assert.Contains("is built for ESP32-S3, but target ESP32_PSRAM_REV0 is an ESP32: build the firmware for ESP32_PSRAM_REV0",
            Error(Firmware(FakeNanoClr.Bytes(chipId: 0x0009))));
        Assert.Contains("is built for ESP32, but --chip esp32s3 is an ESP32-S3", Error(Firmware(), tool: FlashTool.Esptool, chip: "esp32s3"));
        Assert.Contains("does not fit the ESP32 nanoCLR partition (0x1D0000 = 1900544 bytes", Error(Firmware(FakeNanoClr.Bytes(size: 0x1D0004))));
        Assert.Contains("only with the extension .bin", Error(Firmware(name: "nanoCLR.img")));
        Assert.Contains("--mass-erase with esptool also erases the bootloader", Error(Firmware(), tool: FlashTool.Esptool, massErase: true));

        // the limits themselves pass: the largest nanoCLR that fits, and a board whose chip the target does not name
        Assert.Equal(2, FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, ClrFile = Firmware(FakeNanoClr.Bytes(size: 0x1D0000)) }, Both).Count);
        Assert.Equal(2, FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, ClrFile = Firmware(FakeNanoClr.Bytes(chipId: 0x0009)), Target = "M5Core2" }, Both).Count);
    }

    [Theory]
    [InlineData("ESP32_PSRAM_REV0", "ESP32")]
    [InlineData("ESP32_REV3", "ESP32")]
    [InlineData("ESP_WROVER_KIT", "ESP32")]
    [InlineData("ESP32_S3_OCTAL", "ESP32-S3")]
    [InlineData("ESP32_S2", "ESP32-S2")]
    [InlineData("ESP32_C3", "ESP32-C3")]
    [InlineData("ESP32_C6_THREAD", "ESP32-C6")]
    [InlineData("ESP32_H2_THREAD", "ESP32-H2")]
    [InlineData("ESP32_P4", "ESP32-P4")]
    [InlineData("ESP32_C5_THREAD", null)]
    [InlineData("M5Core2", null)]
    public void TargetNamesGiveTheirChip(string target, string? chip) => Assert.Equal(chip, Esp32FirmwareImage.ChipOfTarget(target)?.Name);

    [Fact]
    public void DisplayQuotesArgumentsWithSpaces()
    {
        var c = new ToolCommand("nanoff", new[] { "--image", "/tmp/my app/app.bin" }, "x");
        Assert.Equal("nanoff --image '/tmp/my app/app.bin'", c.Display);
    }
}
