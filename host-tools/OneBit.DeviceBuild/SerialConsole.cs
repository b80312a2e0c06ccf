using System.IO.Ports;

namespace OneBit.DeviceBuild;

/// <summary>
/// Opens a board's serial port as a byte stream: System.IO.Ports where it works; on Linux, when its native part
/// cannot load (or with <c>useStty</c>), the tty device file itself after `stty -F DEV BAUD raw -echo`.
/// </summary>
public static class SerialConsole
{
    /// <summary>nanoCLR's wire-protocol/console baud rate on ESP32.</summary>
    public const int DefaultBaud = 921600;

    public static Stream Open(string port, int baud = DefaultBaud, bool useStty = false, Action<string>? log = null)
    {
        if (!OperatingSystem.IsWindows() && !File.Exists(port))
        {
            var ports = SafePortNames();
            throw new IOException($"no serial port {port}" + (ports.Length > 0 ? " (ports here: " + string.Join(", ", ports) + ")" : " (no serial ports found: is the board plugged in?)"));
        }

        if (!useStty)
        {
            try
            {
                var sp = new SerialPort(port, baud, Parity.None, 8, StopBits.One)
                {
                    ReadTimeout = 100,
                    DtrEnable = false, // keep the ESP32 auto-reset lines released
                    RtsEnable = false,
                    ReadBufferSize = 1 << 16,
                };
                sp.Open();
                return new SerialPortStream(sp);
            }
            catch (Exception e) when (OperatingSystem.IsLinux() && e is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException)
            {
                log?.Invoke($"System.IO.Ports unavailable ({e.GetType().Name}); opening {port} with stty");
            }
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("--stty works on Linux and macOS only");
        }

        var stty = ProcessRunner.Run("stty", new[] { OperatingSystem.IsMacOS() ? "-f" : "-F", port, baud.ToString(), "raw", "-echo", "-echoe", "-echok", "-ixon", "-crtscts", "min", "0", "time", "1" });
        if (stty.ExitCode != 0)
        {
            throw new IOException($"stty could not configure {port}: {stty.Output.Trim()}");
        }

        return new FileStream(port, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
    }

    private static string[] SafePortNames()
    {
        try
        {
            return SerialPort.GetPortNames().OrderBy(p => p, StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException or IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>A read that returns 0 on timeout instead of throwing.</summary>
    private sealed class SerialPortStream(SerialPort port) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => port.Write(buffer, offset, count);
        public override void Flush() => port.BaseStream.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                port.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>What the monitor prints.</summary>
public sealed class MonitorOptions
{
    /// <summary>Print the bytes as they come (no packet decoding).</summary>
    public bool Raw { get; set; }

    /// <summary>Also show non-message packets and bad packets.</summary>
    public bool Verbose { get; set; }

    /// <summary>Idle time after which held-back bytes are released.</summary>
    public TimeSpan IdleFlush { get; set; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>Reads a serial stream and writes the app's console output (<see cref="WireProtocolDecoder"/>).</summary>
public sealed class MonitorSession(Stream input, TextWriter output, MonitorOptions? options = null)
{
    private readonly MonitorOptions _options = options ?? new MonitorOptions();
    private readonly WireProtocolDecoder _decoder = new();

    public WireProtocolDecoder Decoder => _decoder;

    /// <summary>Runs until the stream ends (a file, a closed port) or <paramref name="cancel"/> fires.</summary>
    public void Run(CancellationToken cancel)
    {
        var buffer = new byte[4096];
        var idle = System.Diagnostics.Stopwatch.StartNew();
        bool held = false;
        while (!cancel.IsCancellationRequested)
        {
            int n;
            try
            {
                n = input.Read(buffer, 0, buffer.Length);
            }
            catch (IOException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (n > 0)
            {
                idle.Restart();
                if (_options.Raw)
                {
                    output.Write(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
                }
                else
                {
                    Write(_decoder.Feed(buffer.AsSpan(0, n)));
                    held = true;
                }

                output.Flush();
                continue;
            }

            if (input.CanSeek && input.Position >= input.Length)
            {
                break; // end of a captured file
            }

            if (held && idle.Elapsed >= _options.IdleFlush)
            {
                Write(_decoder.Flush());
                output.Flush();
                held = false;
            }

            if (input is FileStream)
            {
                Thread.Sleep(10); // a tty opened after stty returns at once when idle
            }
        }

        if (!_options.Raw)
        {
            Write(_decoder.Flush());
        }

        output.Flush();
    }

    private void Write(IEnumerable<MonitorEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case MonitorEventKind.Text:
                case MonitorEventKind.Message:
                    output.Write(e.Text);
                    break;
                case MonitorEventKind.Packet when _options.Verbose:
                case MonitorEventKind.BadPacket when _options.Verbose:
                    output.WriteLine(e.ToString());
                    break;
            }
        }
    }
}
