using Spectre.Console;

namespace OneBit.Cli;

/// <summary>
/// What the CLI may write besides text: escape sequences (cursor movement, redrawn progress bars) only when standard
/// output is a terminal, and colour only then and when NO_COLOR is unset or empty (https://no-color.org). A file or a
/// pipe gets plain lines, and Spectre.Console's progress falls back to printing a line now and then.
/// </summary>
public static class ConsoleOutput
{
    public readonly record struct Mode(bool Escapes, bool Colour);

    public static Mode For(bool terminal, string? noColor) => new(terminal, terminal && string.IsNullOrEmpty(noColor));

    public static Mode Current => For(!Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"));

    public static IAnsiConsole Create(TextWriter writer, Mode mode)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = mode.Escapes ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = mode.Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = mode.Escapes ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Spectre.Console wraps lines at the console width, 80 columns when there is no terminal; a log line stays whole.
        if (!mode.Escapes) console.Profile.Width = int.MaxValue / 2;
        return console;
    }

    /// <summary>Makes <see cref="AnsiConsole"/>, which every command writes through, follow <see cref="Current"/>.</summary>
    public static void Install() => AnsiConsole.Console = Create(Console.Out, Current);
}
