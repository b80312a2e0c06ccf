using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using OneBit.Benchmarks;
using OneBit.Paths;

// `dotnet run -c Release --project benchmarks/OneBit.Benchmarks -- --filter '*'` (README.md beside this file).
// Reports go to artifacts/benchmarks/ under the repository root (git-ignored), wherever the command is started.
IConfig config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(RepositoryPaths.Root, "artifacts", "benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
