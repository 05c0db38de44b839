using System.Collections.Concurrent;
using AgentSuite.Mcp;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Status;

/// <summary>
/// Asks every configured MCP server whether it answers, every <c>Mcp:StatusInterval</c>, with the liveness check
/// /health uses, and keeps the answer for <c>GET /api/status</c> (so a status request never waits on a slow server).
/// Like /health it never starts or reconnects a server: the next call to one of its tools does.
/// </summary>
internal sealed class McpServerMonitor(McpToolCatalog catalog, IOptions<McpOptions> options, TimeProvider time, ILogger<McpServerMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, McpServerStatus> _status = new(StringComparer.Ordinal);

    /// <summary>The last check of <paramref name="server"/>; null before its first check has finished.</summary>
    public McpServerStatus? Status(string server) => _status.GetValueOrDefault(server);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatusInterval, time);

        // A check every few seconds is not what an operator looks for in traces: its MCP requests record no spans here.
        using var quiet = OpenTelemetry.SuppressInstrumentationScope.Begin();
        try
        {
            do
            {
                await Task.WhenAll(catalog.Servers.Select(server => CheckAsync(server, stoppingToken)));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The Api is stopping.
        }
    }

    private async Task CheckAsync(string server, CancellationToken cancellationToken)
    {
        var previous = Status(server);
        var tools = previous?.Tools ?? [];
        string? problem;
        try
        {
            problem = await catalog.Connection(server).CheckLivenessAsync(AnswerTimeout, cancellationToken);
            if (problem is null)
            {
                // The catalog's known tools; after a reconnect they are discovered again on the session that just answered.
                tools = [.. (await catalog.GetToolsAsync(server, cancellationToken)).Select(t => t.Descriptor.Identity.Key)];
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            problem = ex.Message;
        }

        var now = time.GetUtcNow();
        var status = problem is null
            ? new McpServerStatus(true, tools, now, previous?.LastError, previous?.LastErrorAt)
            : previous is { Live: false, LastError: not null } && (previous.LastError == problem || !catalog.Connection(server).HasSession)
                // Still down: the error is the one first seen (a reconnect under way says only "not connected").
                ? previous with { CheckedAt = now }
                : new McpServerStatus(false, tools, now, problem, now);
        _status[server] = status;
        if (previous?.Live != false && !status.Live)
        {
            logger.LogWarning("MCP server {Server} does not answer: {Problem}", server, problem);
        }
        else if (previous?.Live == false && status.Live)
        {
            logger.LogInformation("MCP server {Server} answers again", server);
        }
    }
}
