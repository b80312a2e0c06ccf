using OneBit.Paths;

namespace OneBit.Conversion.Tests;

/// <summary>
/// Locates the external material (`../shared` beside the repository, or $ONEBIT_SHARED). Tests that need it
/// call <see cref="Require"/>, which fails with a message naming ONEBIT_SHARED when it is absent: such tests
/// never pass silently without their data.
/// </summary>
public static class MatTestSupport
{
    /// <summary>Full path of a file under the shared folder; fails the test (never skips) if it is missing.</summary>
    public static string Require(string relativePath)
    {
        string root = SharedPaths.TryResolve();
        string path = root == null ? null : Path.Combine(root, relativePath);
        if (path == null || !File.Exists(path))
            Assert.Fail($"this test needs the external material file '{relativePath}' from the shared folder " +
                        $"(looked for {(path ?? "../shared beside the repository")}); put the shared folder beside the repository " +
                        $"or set {SharedPaths.EnvironmentVariable} to its location");
        return path;
    }

    public const string ModelsDir = "models/mcdonnell-2018";
    public static string Model(string file) => Require(Path.Combine(ModelsDir, file));

    public const string KerasCifar10 = "CIFAR10_allparams.mat";
    public const string KerasCifar100 = "CIFAR100_allparams.mat";
    public const string MatlabCifar10 = "TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat";
    public const string MatlabCifar100 = "TrainedWideResNet20-10_CIFAR100_1-bit-per-weight-4MB.mat";
}
