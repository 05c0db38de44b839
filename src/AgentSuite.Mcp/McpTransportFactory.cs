using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace AgentSuite.Mcp;

/// <summary>Stdio for a <c>Command</c>, Streamable HTTP for a <c>Url</c>.</summary>
public sealed class McpTransportFactory(ILoggerFactory loggers) : IMcpTransportFactory
{
    public IClientTransport Create(string server, McpServerConnectionOptions options)
    {
        if (options.Url is { } url)
        {
            return new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Name = server,
                    Endpoint = url,
                    TransportMode = HttpTransportMode.StreamableHttp,
                    AdditionalHeaders = options.Headers,
                },
                loggers);
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
