using System.CommandLine;
using OneBit.DeviceBuild;

namespace OneBit.Cli.Commands;

/// <summary>`onebit monitor`: the device's console, decoded from nanoCLR's wire protocol (Monitor_Message packets) or passed through as plain text.</summary>
public static class MonitorCommand
{
    public static Command Create()
    {
        var cmd = new Command("monitor", "Show the device app's console output from its serial port (nanoCLR wire-protocol messages and plain text)");
        var port = new Option<string?>("--port", "-p") { Description = "Serial port (COM3, /dev/ttyUSB0)" };
        var input = new Option<string?>("--input") { Description = "Decode a captured serial log file instead of a port" };
        var baud = new Option<int>("--baud") { Description = "Baud rate (nanoCLR on ESP32: 921600)", DefaultValueFactory = _ => SerialConsole.DefaultBaud };
        var raw = new Option<bool>("--raw") { Description = "Print the bytes as they come, without decoding packets" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also show other packets and bad packets" };
        var stty = new Option<bool>("--stty") { Description = "Linux/macOS: open the tty file after configuring it with stty instead of System.IO.Ports" };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
        foreach (Option o in new Option[] { port, input, baud, raw, verbose, stty, seconds })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse =>
        {
            string? p = parse.GetValue(port);
            string? file = parse.GetValue(input);
            if ((p == null) == (file == null))
            {
                Console.Error.WriteLine("error: give --port PORT or --input FILE");
                return 2;
            }

            using var cancel = new CancellationTokenSource();
            double s = parse.GetValue(seconds);
            if (s > 0)
            {
                cancel.CancelAfter(TimeSpan.FromSeconds(s));
            }

            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                using Stream stream = file != null
                    ? File.OpenRead(file)
                    : SerialConsole.Open(p!, parse.GetValue(baud), parse.GetValue(stty), line => Console.Error.WriteLine(line));
                if (p != null)
                {
                    Console.Error.WriteLine($"monitoring {p} at {parse.GetValue(baud)} baud (Ctrl+C to stop)");
                }

                var session = new MonitorSession(stream, Console.Out, new MonitorOptions { Raw = parse.GetValue(raw), Verbose = parse.GetValue(verbose) });
                session.Run(cancel.Token);
                if (parse.GetValue(verbose))
                {
                    Console.Error.WriteLine($"{session.Decoder.GoodPackets} packets, {session.Decoder.BadPackets} bad");
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException or InvalidOperationException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return cmd;
    }
}
