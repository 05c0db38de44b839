using System.CommandLine;
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
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ErrorView.Message(io.Error, "Stopped.");
                return ExitCodes.Cancelled;
            }
        };
}
