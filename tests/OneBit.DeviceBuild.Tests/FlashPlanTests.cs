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
        Assert.Contains("nanoff options", Assert.Throws<ArgumentException>(() =>
            FlashPlan.Build(new FlashRequest { Port = "COM3", Image = image, FirmwareVersion = "1.0", Tool = FlashTool.Esptool }, Both)).Message);
    }

    [Fact]
    public void DisplayQuotesArgumentsWithSpaces()
    {
        var c = new ToolCommand("nanoff", new[] { "--image", "/tmp/my app/app.bin" }, "x");
        Assert.Equal("nanoff --image '/tmp/my app/app.bin'", c.Display);
    }
}
