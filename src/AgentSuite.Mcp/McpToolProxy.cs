using System.Text.Json;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Mcp;

/// <summary>
/// A server's tool as an <see cref="AIFunction"/> that survives reconnects: it calls through the connection, not
/// through one client session. After a reconnect it first checks that the server still serves the same definition;
/// a tool that changed while the server was down is refused until it has been discovered (and pinned) again.
/// </summary>
internal sealed class McpToolProxy(McpConnection connection, Tool tool, int connectsAtDiscovery, Action onDefinitionChanged) : AIFunction
{
    private int _verifiedAt = connectsAtDiscovery;

    public override string Name => tool.Name;

    public override string Description => tool.Description ?? "";

    public override JsonElement JsonSchema => tool.InputSchema;

    public Tool ProtocolTool => tool;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await connection.CallToolAsync(tool.Name, arguments, VerifyAfterReconnectAsync, cancellationToken);

    private async Task VerifyAfterReconnectAsync(McpClient client, int session, CancellationToken cancellationToken)
    {
        if (session == Volatile.Read(ref _verifiedAt))
        {
            return;
        }

        var served = (await client.ListToolsAsync(cancellationToken: cancellationToken)).FirstOrDefault(t => t.Name == tool.Name)?.ProtocolTool;
        if (served is null || !SameDefinition(served, tool))
        {
            onDefinitionChanged();
            throw new McpException(served is null
                ? $"'{connection.Server}/{tool.Name}' is no longer served after '{connection.Server}' reconnected; it was not run."
                : $"The definition of '{connection.Server}/{tool.Name}' changed while '{connection.Server}' was reconnecting; it was not run and is blocked until it is approved again.");
        }

        Volatile.Write(ref _verifiedAt, session);
    }

    private static bool SameDefinition(Tool a, Tool b) =>
        a.Name == b.Name
        && a.Description == b.Description
        && CanonicalJson.Sha256(a.InputSchema) == CanonicalJson.Sha256(b.InputSchema)
        && McpAnnotations.From(a.Annotations) == McpAnnotations.From(b.Annotations);
}
