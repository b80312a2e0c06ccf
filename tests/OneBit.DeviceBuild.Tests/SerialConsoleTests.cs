using OneBit.DeviceBuild;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

public class SerialConsoleTests
{
    [Fact]
    public void AMissingPortIsNamedNotReportedAsAccessDenied()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var e = Assert.Throws<IOException>(() => SerialConsole.Open("/dev/ttyONEBIT-NOPE"));
        Assert.Contains("no serial port /dev/ttyONEBIT-NOPE", e.Message);
    }

    [Fact]
    public void RawModePassesBytesThrough()
    {
        var output = new StringWriter();
        var bytes = WireProtocol.BuildMessage("x\n");
        new MonitorSession(new MemoryStream(bytes), output, new MonitorOptions { Raw = true }).Run(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        Assert.Contains("NFPKTV1", output.ToString());
    }
}
