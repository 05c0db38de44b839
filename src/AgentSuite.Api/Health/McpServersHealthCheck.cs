using AgentSuite.Mcp;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSuite.Api.Health;

/// <summary>
/// Every configured MCP server answers now: its session is open and lists its tools in time (a plugin process that died
/// shows at once, by its exit). A missing server leaves the Api useful for the rest, so that is degraded, not
/// unhealthy. The check never starts or reconnects a server; the next call to one of its tools does.
/// </summary>
internal sealed class McpServersHealthCheck(McpToolCatalog catalog) : IHealthCheck
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = catalog.Servers.ToList();
        var problems = await Task.WhenAll(servers.Select(s => catalog.Connection(s).CheckLivenessAsync(AnswerTimeout, cancellationToken)));
        var down = new Dictionary<string, object>(StringComparer.Ordinal);
        var counts = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            if (problems[i] is { } problem)
            {
                down[servers[i]] = problem;
                continue;
            }

            try
            {
                // The catalog's known tools; after a reconnect they are discovered again on the session that just answered.
                counts[servers[i]] = (await catalog.GetToolsAsync(servers[i], cancellationToken)).Count;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                down[servers[i]] = ex.Message;
            }
        }

        return down.Count == 0
            ? HealthCheckResult.Healthy($"{counts.Count} MCP servers answer.", counts)
            : HealthCheckResult.Degraded($"MCP servers not answering: {string.Join(", ", down.Keys)}; their tools are missing until they are back.", data: down);
    }
}
