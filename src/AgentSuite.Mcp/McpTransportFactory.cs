using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace AgentSuite.Mcp;

/// <summary>
/// Stdio for a <c>Command</c>, Streamable HTTP for a <c>Url</c>; over HTTP through <paramref name="httpClients"/> (one client
/// per server name) when the app registers it, e.g. an <c>IHttpClientFactory</c> client with the service defaults' resilience.
/// </summary>
public sealed class McpTransportFactory(ILoggerFactory loggers, Func<string, HttpClient>? httpClients = null) : IMcpTransportFactory
{
    public IClientTransport Create(string server, McpServerConnectionOptions options)
    {
        if (options.Url is { } url)
        {
            var http = new HttpClientTransportOptions
            {
                Name = server,
                Endpoint = url,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = options.Headers,
            };
            return httpClients is null
                ? new HttpClientTransport(http, loggers)
                : new HttpClientTransport(http, httpClients(server), loggers, ownsHttpClient: true);
        }

        var log = loggers.CreateLogger("AgentSuite.Mcp.Server." + server);
        return new StdioClientTransport(
            new StdioClientTransportOptions
            {
                Name = server,
                Command = options.Command!,
                Arguments = options.Arguments,
                WorkingDirectory = options.WorkingDirectory,
                EnvironmentVariables = options.Environment,

                // A tool server's stderr is its log; keep it, attributed to the server.
                StandardErrorLines = line => log.LogInformation("{Server}: {Line}", server, line),
            },
            loggers);
    }
}
