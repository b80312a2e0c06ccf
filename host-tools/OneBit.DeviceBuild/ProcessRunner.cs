using System.Diagnostics;
using System.Text;

namespace OneBit.DeviceBuild;

/// <summary>Runs an external tool (dotnet, nanoff, esptool) with captured or streamed output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs to completion; output (stdout and stderr, interleaved as they arrive) is returned and, if given, streamed to <paramref name="echo"/>.</summary>
    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, Action<string>? echo = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data == null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            echo?.Invoke(e.Data);
        }

        p.OutputDataReceived += OnLine;
        p.ErrorDataReceived += OnLine;
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(15)))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw new TimeoutException($"{fileName} did not finish in {(timeout ?? TimeSpan.FromMinutes(15)).TotalSeconds:F0} s");
        }

        p.WaitForExit();
        lock (output)
        {
            return new Result(p.ExitCode, output.ToString());
        }
    }

    /// <summary>Full path of an executable on PATH (with Windows extensions), or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var exts = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';').Prepend("")
            : new[] { "" };
        var dirs = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        // dotnet global tools live here even when the user's PATH does not include it yet
        dirs.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        foreach (var dir in dirs)
        {
            foreach (var ext in exts)
            {
                var candidate = Path.Combine(dir, name + ext);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Quotes an argument for display (POSIX shell style).</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";

    public static string CommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(" ", arguments.Prepend(fileName).Select(Quote));
}
