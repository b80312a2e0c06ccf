namespace OneBit.Paths;

/// <summary>
/// The repository checkout this code runs from: the first folder holding Embedded.sln above the working directory
/// or above the running assembly. Both starts are needed: the CLI runs from anywhere inside a checkout, while test
/// hosts and BenchmarkDotNet's child processes run from folders under bin/.
/// </summary>
public static class RepositoryPaths
{
    public const string SolutionFile = "Embedded.sln";

    /// <summary>The repository root, or null outside a checkout (e.g. an installed tool).</summary>
    public static string? TryFindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The repository root; throws outside a checkout.</summary>
    public static string Root => TryFindRoot() ?? throw new DirectoryNotFoundException(
        $"no {SolutionFile} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}: run from inside the repository");

    /// <summary>A path under the repository root, e.g. <c>Combine("device", "OneBit.App")</c>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>models/NAME/NAME.obnb, the layout of every committed model folder.</summary>
    public static string ModelBlob(string name) => Path.Combine(Root, "models", name, name + ".obnb");
}
