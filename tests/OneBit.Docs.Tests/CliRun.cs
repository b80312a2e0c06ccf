using OneBit.Cli;

[assembly: CollectionBehavior(DisableTestParallelization = true)]   // CliRun swaps the process's console and directory

namespace OneBit.Docs.Tests;

/// <summary>Runs the `onebit` CLI in this process, from the repository root, and returns what it printed.</summary>
internal static class CliRun
{
    private static readonly object Gate = new();

    public static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        lock (Gate)
        {
            TextWriter outBefore = Console.Out, errorBefore = Console.Error;
            string dirBefore = Directory.GetCurrentDirectory();
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            try
            {
                Console.SetOut(output);
                Console.SetError(error);
                Directory.SetCurrentDirectory(Repo.Root);
                int exit = CliRoot.Create().Parse(args).Invoke();
                return (exit, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(outBefore);
                Console.SetError(errorBefore);
                Directory.SetCurrentDirectory(dirBefore);
            }
        }
    }
}
