using System.Text.Json;
using AgentSuite.Agents;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// One served agent as an MCP tool, <c>ask_NAME</c>: its description is the prompt file's, its arguments the contract of
/// docs/agents-over-mcp.md, and its annotations the truth: a turn may act (refund, open a case), and asking twice asks
/// twice unless the caller sends the same <c>idempotency_key</c>.
/// </summary>
internal sealed class AskAgentTool(AgentDefinition agent, int maxWaitSeconds) : McpServerTool
{
    public const string Prefix = "ask_";

    public string Agent => agent.Name;

    public override Tool ProtocolTool { get; } = new()
    {
        Name = Prefix + agent.Name,
        Title = $"Ask the {agent.Name} agent",
        Description = agent.Description,
        InputSchema = Schema(agent, maxWaitSeconds),
        Annotations = new ToolAnnotations
        {
            Title = $"Ask the {agent.Name} agent",
            ReadOnlyHint = false,
            IdempotentHint = false,
            DestructiveHint = true,
            OpenWorldHint = false,
        },
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = request.Services!.GetRequiredService<AgentCallHandler>();
        var user = request.User ?? throw new McpException("The caller is not authenticated.");

        // A coordinator acting for a person (a delegate key with _meta naming them): the turn runs as that person.
        user = await request.Services!.GetRequiredService<DelegatedCaller>().ResolveAsync(agent.Name, user, request.Params?.Meta, request.Params?.Arguments, cancellationToken);
        return await handler.AskAsync(agent.Name, user, request.Params?.Arguments, cancellationToken);
    }

    private static JsonElement Schema(AgentDefinition agent, int maxWaitSeconds) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["type"] = "object",
        ["properties"] = new Dictionary<string, object>
        {
            ["message"] = new { type = "string", description = $"What you ask the {agent.Name} agent, with every detail it needs (ids, amounts)." },
            ["conversation_id"] = new { type = "string", description = "Continue this conversation (one you started); omit to start a new one." },
            ["idempotency_key"] = new { type = "string", description = "Your key for this request: the same key always returns the same outcome and never starts a second turn." },
            ["wait_seconds"] = new { type = "integer", minimum = 0, maximum = maxWaitSeconds, description = "How long to wait for the reply; a turn still running or waiting for approval then goes on, and a later call with the conversation_id and idempotency_key returns its outcome." },
        },
        ["required"] = new[] { "message" },
        ["additionalProperties"] = false,
    });
}
