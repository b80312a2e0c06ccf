namespace OneBit.Training;

/// <summary>
/// Locates the project's external material folder (the design brief's `../shared`, beside the repo):
/// an explicit path (CLI --shared) wins, then the ONEBIT_SHARED environment variable, then `../shared`
/// relative to the first ancestor of the working directory or of this assembly that holds Embedded.sln.
/// </summary>
public static class SharedPaths
{
    public const string EnvironmentVariable = "ONEBIT_SHARED";

    public static string Resolve(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Embedded.sln")))
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared"));
        }
        throw new DirectoryNotFoundException($"cannot locate the shared folder: pass --shared DIR or set {EnvironmentVariable}");
    }
}
