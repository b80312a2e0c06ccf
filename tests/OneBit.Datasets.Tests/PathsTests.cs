using OneBit.Paths;
using Xunit;

namespace OneBit.Datasets.Tests;

/// <summary>Shares a collection with <see cref="DatasetTests"/>, which reads ONEBIT_SHARED while a test here sets it.</summary>
[Collection(nameof(SharedPaths))]
public class PathsTests
{
    [Fact]
    public void RepositoryRootIsTheCheckoutHoldingTheSolution()
    {
        string root = RepositoryPaths.Root;
        Assert.True(File.Exists(Path.Combine(root, RepositoryPaths.SolutionFile)));
        Assert.True(File.Exists(Path.Combine(root, "CONTRACT.md")));
        Assert.StartsWith(root, AppContext.BaseDirectory);
        Assert.Equal(Path.Combine(root, "models", "m", "m.obnb"), RepositoryPaths.ModelBlob("m"));
        Assert.Equal(Path.Combine(root, "device", "README.md"), RepositoryPaths.Combine("device", "README.md"));
    }

    [Fact]
    public void SharedFolderIsTheExplicitPathThenTheVariableThenBesideTheRepository()
    {
        string? saved = Environment.GetEnvironmentVariable(SharedPaths.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(SharedPaths.EnvironmentVariable, "/tmp/from-variable");
            Assert.Equal(Path.GetFullPath("/tmp/explicit"), SharedPaths.Resolve("/tmp/explicit"));
            Assert.Equal(Path.GetFullPath("/tmp/from-variable"), SharedPaths.Resolve(null));
            Environment.SetEnvironmentVariable(SharedPaths.EnvironmentVariable, null);
            Assert.Equal(Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared")), SharedPaths.Resolve(null));
        }
        finally { Environment.SetEnvironmentVariable(SharedPaths.EnvironmentVariable, saved); }
    }
}
