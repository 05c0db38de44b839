using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>Errors on stderr in red: what went wrong, then what to do next.</summary>
public static class ErrorView
{
    public const string StartApiHint = "dotnet run --project src/AgentSuite.Api";

    // The title the Api gives a message refused by a kill switch: a stop, not a missing role.
    private const string StoppedTitle = "Stopped by a kill switch";

    public static void Problem(IAnsiConsole error, ApiProblemException problem)
    {
        var what = problem.Detail ?? problem.Title;
        error.MarkupLine($"[red]{Escape(what)}[/] [grey](HTTP {problem.Status} {Escape(problem.Title)})[/]");
        var hint = problem.Status switch
        {
            401 => "Pass a bearer token with --token (or the AGENTSUITE_TOKEN variable), or an API key with --api-key (or AGENTSUITE_API_KEY).",
            403 when problem.Title == StoppedTitle => "An admin releases it with: agentsuite kill-switch release SCOPE (agentsuite kill-switch lists them).",
            403 => "The token, key or name used lacks what this needs; see who the Api takes you for with: agentsuite whoami",
            _ => null,
        };
        if (hint is not null)
        {
            error.MarkupLine($"[grey]{Escape(hint)}[/]");
        }
    }

    public static void Unreachable(IAnsiConsole error, ApiUnreachableException ex)
    {
        error.MarkupLine($"[red]Cannot reach the AgentSuite Api at {Escape(ex.BaseAddress.ToString())}: {Escape(ex.Reason)}.[/]");
        error.MarkupLine($"[grey]Start it with[/] {StartApiHint}[grey], or point the CLI at it with --url or the AGENTSUITE_URL variable.[/]");
    }

    public static void Message(IAnsiConsole error, string message) => error.MarkupLine($"[red]{Escape(message)}[/]");
}
