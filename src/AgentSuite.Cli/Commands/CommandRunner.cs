using System.CommandLine;
using System.Text.Json;
using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Commands;

/// <summary>
/// Runs a command's work against the Api: builds the client from the global options, and turns every failure into a
/// message on stderr and an exit code, so no command handles errors on its own.
/// </summary>
internal sealed class CommandRunner(CliIo io, GlobalOptions global)
{
    public CliIo Io => io;

    /// <summary>True when <c>--json</c> was given: the command prints JSON on stdout instead of its view.</summary>
    public bool Json(ParseResult parse) => parse.GetValue(global.Json);

    /// <summary>Prints <paramref name="value"/> as the command's one JSON document.</summary>
    public void WriteJson<T>(T value) => JsonOutput.Document(io.Out, value);

    /// <summary>Where a watched turn's events and notes go, by <c>--json</c>.</summary>
    public TurnOutput Turns(ParseResult parse) => new(io, Json(parse));

    public Func<ParseResult, CancellationToken, Task<int>> WithApi(Func<ApiClient, ParseResult, CancellationToken, Task<int>> work) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                using var api = new ApiClient(global.Resolve(parse, io.GetEnvironmentVariable), io.Transport);
                return await work(api, parse, cancellationToken);
            }
            catch (UsageException ex)
            {
                ErrorView.Message(io.Error, ex.Message);
                return ExitCodes.Failed;
            }
            catch (ApiProblemException ex)
            {
                ErrorView.Problem(io.Error, ex);
                return ExitCodes.Failed;
            }
            catch (ApiUnreachableException ex)
            {
                ErrorView.Unreachable(io.Error, ex);
                return ExitCodes.Unreachable;
            }
            catch (IOException ex)
            {
                ErrorView.Message(io.Error, $"The connection to the Api was lost: {ex.Message}");
                return ExitCodes.Unreachable;
            }
            catch (InvalidDataException ex)
            {
                ErrorView.Message(io.Error, ex.Message);
                return ExitCodes.Failed;
            }
            catch (JsonException ex)
            {
                // JSON that parsed but is not the shape a view reads (an array for an object, say).
                ErrorView.Message(io.Error, $"The Api answered with JSON the CLI cannot read ({ex.Message}). Is --url the AgentSuite Api?");
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ErrorView.Message(io.Error, "Stopped.");
                return ExitCodes.Cancelled;
            }
        };
}
