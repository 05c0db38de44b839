using AgentSuite.Mcp;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSuite.Api.Health;

/// <summary>
/// Every configured MCP server lists its tools. A missing server leaves the Api useful for the rest, so that is
/// degraded, not unhealthy.
/// </summary>
internal sealed class McpServersHealthCheck(McpToolCatalog catalog) : IHealthCheck
{
    private static readonly TimeSpan PerServer = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, object>(StringComparer.Ordinal);
        var counts = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var server in catalog.Servers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PerServer);
            try
            {
                counts[server] = (await catalog.GetToolsAsync(server, timeout.Token)).Count;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                problems[server] = ex.Message;
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{counts.Count} MCP servers answer.", counts)
            : HealthCheckResult.Degraded($"MCP servers not answering: {string.Join(", ", problems.Keys)}; their tools are missing until they are back.", data: problems);
    }
}
