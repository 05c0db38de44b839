using ModelContextProtocol.Client;

namespace AgentSuite.Mcp;

/// <summary>Makes the transport for a configured server; replaceable so tests can connect in memory.</summary>
public interface IMcpTransportFactory
{
    IClientTransport Create(string server, McpServerConnectionOptions options);
}
