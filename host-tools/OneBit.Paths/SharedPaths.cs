namespace OneBit.Paths;

/// <summary>
/// Locates the project's external material folder (the design brief's `../shared`, beside the repo):
/// an explicit path (CLI --shared) wins, then the ONEBIT_SHARED environment variable, then `../shared`
/// beside the repository root (<see cref="RepositoryPaths"/>).
/// </summary>
public static class SharedPaths
{
    public const string EnvironmentVariable = "ONEBIT_SHARED";

    /// <summary>The shared folder, or null when neither a path nor the variable is given and no checkout is found.</summary>
    public static string? TryResolve(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        string? root = RepositoryPaths.TryFindRoot();
        return root == null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared"));
    }

    public static string Resolve(string? explicitPath) => TryResolve(explicitPath)
        ?? throw new DirectoryNotFoundException($"cannot locate the shared folder: pass --shared DIR or set {EnvironmentVariable}");
}
