namespace OneBit.Benchmarks;

/// <summary>The repository root (the folder holding Embedded.sln) and the committed models under it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>models/NAME/NAME.obnb, the layout of every committed model folder.</summary>
    public static string ModelBlob(string name) => Path.Combine(Root, "models", name, name + ".obnb");

    // BenchmarkDotNet runs each benchmark in a child process from a generated folder under this project's bin/, so
    // walk up from both the executable and the working directory.
    private static string FindRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException(
            $"no Embedded.sln above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}: run the benchmarks from inside the repository");
    }
}
