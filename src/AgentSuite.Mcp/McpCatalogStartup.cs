using Microsoft.Extensions.Hosting;

namespace AgentSuite.Mcp;

/// <summary>Connects to the configured servers when the app starts, and closes them (ending stdio processes) when it stops.</summary>
public sealed class McpCatalogStartup(McpToolCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await catalog.DisposeAsync();
}
