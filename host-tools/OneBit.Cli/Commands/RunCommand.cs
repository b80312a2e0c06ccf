using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OneBit.Datasets;
using OneBit.Emulator.Cameras;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Execution;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Model;

namespace OneBit.Cli.Commands;

/// <summary>
/// `onebit run`: classify image files, folders or live cameras on the emulator. Every frame goes through the
/// device's preprocessing (shared/Frames: center crop, area resize, pixel format) before the runtime.
/// </summary>
public static class RunCommand
{
    private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".bmp" };

    public static Command Create()
    {
        var cmd = new Command("run", "Classify images, folders, or frames of a V4L2 webcam or an ArduCAM on a Linux board");
        var blob = new Argument<string>("blob") { Description = "Model blob (.obnb)" };
        var inputs = new Argument<string[]>("inputs") { Description = "Image files (JPEG, PNG, BMP) or folders of them", Arity = ArgumentArity.ZeroOrMore };
        var camera = new Option<string?>("--camera") { Description = "Classify frames of a V4L2 webcam (YUYV): /dev/videoN or N" };
        var arducam = new Option<string?>("--arducam") { Description = "Classify frames of an ArduCAM Mini 2MP on SPI_BUS.CS,I2C_BUS (e.g. 0.0,1)" };
        var frames = new Option<int>("--frames") { Description = "Camera frames to classify (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var size = new Option<string>("--capture-size") { Description = "Webcam capture size WxH", DefaultValueFactory = _ => "320x240" };
        var json = new Option<bool>("--json") { Description = "One JSON object per frame instead of text" };
        var kernel = KernelChoice.CreateOption();
        cmd.Arguments.Add(blob); cmd.Arguments.Add(inputs);
        foreach (Option o in new Option[] { camera, arducam, frames, size, json, kernel }) cmd.Options.Add(o);
        cmd.SetAction((parse, cancel) => Task.FromResult(UserErrors.Guard(() =>
        {
            Network net = BlobReader.Read(File.ReadAllBytes(parse.GetValue(blob)!));
            NetworkRunner runner = KernelChoice.Runner(parse.GetValue(kernel)!, net);
            var report = new Reporter(net, runner, parse.GetValue(json));
            string[] paths = parse.GetValue(inputs) ?? Array.Empty<string>();
            int? cam = parse.GetValue(camera) is { } device ? CameraIndex(device) : null;
            string? ardu = parse.GetValue(arducam);
            if ((paths.Length > 0 ? 1 : 0) + (cam != null ? 1 : 0) + (ardu != null ? 1 : 0) != 1)
                throw new ArgumentException("give image files/folders, or --camera /dev/videoN, or --arducam SPEC (exactly one)");
            if (paths.Length > 0) return RunFiles(paths, report);
            IFrameSource source = cam != null ? OpenWebcam(cam.Value, parse.GetValue(size)!) : ArduCamOnLinux.Open(ardu!, net.InputChannels == 1 ? PixelFormat.Gray8 : PixelFormat.Rgb565);
            try { return RunCamera(source, report, parse.GetValue(frames), cancel); }
            finally { (source as IDisposable)?.Dispose(); }
        })));
        return cmd;
    }

    /// <summary>The N of a V4L2 device given as /dev/videoN or N.</summary>
    public static int CameraIndex(string device)
    {
        const string prefix = "/dev/video";
        string digits = device.StartsWith(prefix, StringComparison.Ordinal) ? device[prefix.Length..] : device;
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            return n;
        throw new ArgumentException($"--camera '{device}': expected a V4L2 device /dev/videoN or its number N");
    }

    private static IFrameSource OpenWebcam(int bus, string size)
    {
        string[] wh = size.Split('x');
        if (wh.Length != 2 || !int.TryParse(wh[0], out int w) || !int.TryParse(wh[1], out int h)) throw new ArgumentException($"--capture-size '{size}': expected WxH");
        return new V4l2FrameSource(bus, w, h);
    }

    /// <summary>Classifies every image; an image that cannot be read or decoded is reported on stderr and skipped,
    /// and then the command ends with a count of them and exit code 1.</summary>
    private static int RunFiles(string[] paths, Reporter report)
    {
        var files = new List<string>();
        foreach (string p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(IsImage).OrderBy(f => f, StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else throw new IOException($"no such file or folder: {p}");
        }
        if (files.Count == 0) throw new IOException("no images (JPEG, PNG, BMP) found in the given folders");
        int failed = 0;
        foreach (string f in files)
        {
            byte[] rgb;
            int h, w;
            try
            {
                rgb = ImageFolder.Decode(File.ReadAllBytes(f), 3, out h, out w, f);
            }
            catch (Exception e) when (e is DatasetFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine("skipped " + (e is DatasetFormatException ? e.Message : $"{f}: {e.Message}"));
                failed++;
                continue;
            }
            report.Classify(f, new FramePreprocessor(w, h, PixelFormat.Rgb888, report.Net.InputHeight, report.Net.InputWidth, report.Net.InputChannels, ResizeMode.Area, true), rgb);
        }
        if (failed == 0) return 0;
        Console.Error.WriteLine($"{failed} of {files.Count} images could not be read or decoded; {files.Count - failed} classified");
        return 1;
    }

    private static int RunCamera(IFrameSource source, Reporter report, int count, CancellationToken cancel)
    {
        var pre = new FramePreprocessor(source.Width, source.Height, source.Format, report.Net.InputHeight, report.Net.InputWidth, report.Net.InputChannels, ResizeMode.Area, true);
        var frame = new byte[source.FrameBytes];
        for (int n = 0; (count == 0 || n < count) && !cancel.IsCancellationRequested; n++)
        {
            try
            {
                source.Capture(frame);
            }
            catch (BadFrameException e)
            {
                Console.Error.WriteLine($"frame {n}: skipped ({e.Message})");
                continue;
            }
            report.Classify($"frame {n}", pre, frame);
        }
        return 0;
    }

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Preprocesses, runs and prints one frame (text or one JSON object per line).</summary>
    private sealed class Reporter(Network net, NetworkRunner runner, bool json)
    {
        private readonly byte[] _input = new byte[net.InputBytes];
        public Network Net => net;

        public void Classify(string name, FramePreprocessor pre, byte[] frame)
        {
            var clock = Stopwatch.StartNew();
            pre.Process(frame, _input);
            int cls = runner.Run(_input);
            double ms = clock.Elapsed.TotalMilliseconds;
            double score = runner.Logits[cls] / 65536.0;
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new { input = name, @class = cls, label = net.ClassNames[cls], score, ms }));
            else
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: {1} (class {2}, logit {3:F2}), {4:F2} ms", name, net.ClassNames[cls], cls, score, ms));
        }
    }
}
