using Spectre.Console;

namespace AgentSuite.Cli;

/// <summary>
/// Where the CLI reads and writes, and the environment it reads defaults from. The process uses the real console;
/// tests pass writers they read back and an environment of their own.
/// </summary>
public sealed record CliIo(IAnsiConsole Out, IAnsiConsole Error, TextReader In, Func<string, string?> GetEnvironmentVariable)
{
    /// <summary>True when Ctrl+C should cancel the running command (the process); false in-process, where the host owns the console.</summary>
    public bool HandlesCtrlC { get; init; }

    /// <summary>The HTTP transport to the Api; null for the default (tests may pass a handler that answers canned responses).</summary>
    public HttpMessageHandler? Transport { get; init; }

    public static CliIo FromProcess() => new(
        Console.IsOutputRedirected ? PlainConsole(Console.Out, RedirectedWidth) : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }),
        Console.IsErrorRedirected ? PlainConsole(Console.Error, RedirectedWidth) : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
        Console.In,
        Environment.GetEnvironmentVariable)
    {
        HandlesCtrlC = true,
    };

    // Piped into a file or another program: no colour codes, and no wrapping at a terminal width that is not there.
    private const int RedirectedWidth = 400;

    /// <summary>Plain text, no colours or ANSI codes, wide enough that tables do not wrap: what tests and pipes read.</summary>
    public static IAnsiConsole PlainConsole(TextWriter writer, int width = RedirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }
}
