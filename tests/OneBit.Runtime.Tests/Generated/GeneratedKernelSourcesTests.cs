namespace OneBit.Runtime.Tests.Generated;

/// <summary>
/// The generated kernel sources (see <see cref="KernelSourceGenerator"/>) are what the generator writes now: editing
/// one copy only (the int32 residual without regenerating, or a .g.cs file by hand) fails here. With
/// ONEBIT_REGENERATE=1 the test rewrites the files instead and then passes.
/// </summary>
public class GeneratedKernelSourcesTests
{
    [Fact]
    public void GeneratedKernelSourcesMatchTheirGenerator()
    {
        string root = KernelSourceGenerator.RepositoryRoot();
        bool regenerate = Environment.GetEnvironmentVariable("ONEBIT_REGENERATE") == "1";
        foreach (var (path, text) in KernelSourceGenerator.Generate(root))
        {
            string file = Path.Combine(root, path);
            if (regenerate) File.WriteAllText(file, text);
            Assert.True(File.Exists(file), $"{path} is missing: regenerate it (ONEBIT_REGENERATE=1 dotnet test tests/OneBit.Runtime.Tests -c Release --filter GeneratedKernelSources)");
            string actual = File.ReadAllText(file).Replace("\r\n", "\n");
            Assert.True(actual == text, $"{path} differs from what KernelSourceGenerator writes (edited by hand, or its source changed without regenerating): "
                + "ONEBIT_REGENERATE=1 dotnet test tests/OneBit.Runtime.Tests -c Release --filter GeneratedKernelSources");
        }
    }
}
