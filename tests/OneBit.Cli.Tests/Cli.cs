using OneBit.Paths;
using System.Diagnostics;
using OneBit.Runtime.Host;
using SkiaSharp;

namespace OneBit.Cli.Tests;

/// <summary>Runs the built CLI (onebit.dll, copied beside the tests) in a child process and builds its inputs.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static string RepoRoot => RepositoryPaths.Root;

    /// <summary>Runs `onebit ARGS` with standard output and error redirected to pipes (not a terminal).</summary>
    public static Result Run(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "onebit.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return Start(psi, env);
    }

    /// <summary>Runs `onebit ARGS` on a pseudo-terminal (util-linux `script`), as in an interactive shell; the
    /// terminal's output, escape sequences included, is returned as Out.</summary>
    public static Result RunOnTerminal(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        string command = "dotnet " + string.Join(' ', new[] { Path.Combine(AppContext.BaseDirectory, "onebit.dll") }.Concat(args).Select(Quote));
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "-q", "-e", "-c", command, "/dev/null" }) psi.ArgumentList.Add(a);
        return Start(psi, env);
    }

    /// <summary>Runs `bash ARGS` (a script and its arguments, or options such as -n first) in the repository root.</summary>
    public static Result Bash(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        return Start(psi, env);
    }

    public static Result Bash(string script, IReadOnlyDictionary<string, string?> env) => Bash(env, script);

    static Result Start(ProcessStartInfo psi, IReadOnlyDictionary<string, string?>? env)
    {
        psi.WorkingDirectory = RepoRoot;
        if (env != null) foreach (var (k, v) in env) { if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v; }
        using var p = Process.Start(psi)!;
        if (psi.RedirectStandardInput) p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("onebit did not finish in 120 s"); }
        return new Result(p.ExitCode, output, err.Result);
    }

    static string Quote(string a) => "'" + a.Replace("'", "'\\''") + "'";

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "onebit-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A synthetic 8×8×3 network with <paramref name="classes"/> classes ("class0", …) written as a blob.</summary>
    public static string SyntheticBlob(string dir, int classes = 3)
    {
        string path = Path.Combine(dir, "synthetic.obnb");
        File.WriteAllBytes(path, BlobWriter.Write(SyntheticNetworks.Make(1, 8, 8, 3, 8, 2, 2, 3, classes)));
        return path;
    }

    /// <summary>Writes a random-pixel PNG of the given size.</summary>
    public static void Png(string path, int width, int height, int seed)
    {
        var rng = new Random(seed);
        using var bmp = new SKBitmap(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bmp.SetPixel(x, y, new SKColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>An ImageFolder tree root/classK/imageN.png with the network's class names.</summary>
    public static string ImageFolder(string dir, int classes, int perClass)
    {
        string root = Path.Combine(dir, "images");
        for (int k = 0; k < classes; k++)
        {
            Directory.CreateDirectory(Path.Combine(root, "class" + k));
            for (int i = 0; i < perClass; i++) Png(Path.Combine(root, "class" + k, $"image{i}.png"), 8, 8, 10 * k + i);
        }
        return root;
    }
}
