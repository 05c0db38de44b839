using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Observability.Tests.Support;

/// <summary>
/// An MCP endpoint on real Kestrel (127.0.0.1, a free port) that reads each POST's body to the end, counts it, and then
/// fails it: with 503, or by dropping the connection before any response. What a tool call meets when a server falls over.
/// </summary>
public sealed class FailingMcpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private FailingMcpEndpoint(WebApplication app) => _app = app;

    public Uri McpUri { get; private set; } = null!;

    /// <summary>The POSTs whose whole body arrived.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Starts an endpoint that answers 503, or, with <paramref name="dropConnection"/>, aborts the connection.</summary>
    public static async Task<FailingMcpEndpoint> StartAsync(bool dropConnection)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new FailingMcpEndpoint(app);
        app.MapPost("/mcp", async http =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            Interlocked.Increment(ref endpoint._received);
            if (dropConnection)
            {
                http.Abort();
                return;
            }

            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        });
        await app.StartAsync();
        endpoint.McpUri = new Uri(new Uri(app.Urls.Single()), "/mcp");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
