using OneBit.Paths;

namespace OneBit.Docs.Tests;

/// <summary>The repository these tests check: its root and its text files.</summary>
internal static class Repo
{
    public static string Root => RepositoryPaths.Root;

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Repository-relative path with forward slashes.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static readonly string[] Skipped = { "bin", "obj", ".git", "artifacts", "node_modules" };

    /// <summary>Files under the root whose names end with one of <paramref name="suffixes"/>, build outputs excluded.</summary>
    public static IEnumerable<string> Files(params string[] suffixes)
    {
        var pending = new Stack<string>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            foreach (string sub in Directory.GetDirectories(dir))
                if (!Skipped.Contains(Path.GetFileName(sub))) pending.Push(sub);
            foreach (string file in Directory.GetFiles(dir))
                if (suffixes.Any(s => file.EndsWith(s, StringComparison.OrdinalIgnoreCase))) yield return file;
        }
    }

    /// <summary>The committed model folders (models/NAME with NAME.obnb in it).</summary>
    public static IEnumerable<string> ModelNames() =>
        Directory.GetDirectories(PathOf("models")).Select(Path.GetFileName).Select(n => n!)
            .Where(n => File.Exists(Path.Combine(Root, "models", n, n + ".obnb"))).OrderBy(n => n, StringComparer.Ordinal);
}
