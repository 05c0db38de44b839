using System.Text.Json;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents;

/// <summary>
/// A specialist as a tool (<c>ask_billing</c>): the coordinator's call runs the specialist with the same conversation,
/// run and principal, its own agent name, and this call as its parent. Wrapped as <c>agents/ask_NAME</c>, the hand-off
/// is allowed, denied, rate-limited, approved, deduplicated and audited like any other call.
/// </summary>
internal sealed class HandOffTool(AgentRunner runner, AgentDefinition target) : AIFunction
{
    public const string Server = "agents";

    private static readonly JsonElement Schema = JsonSerializer.SerializeToElement(new
    {
        type = "object",
        properties = new
        {
            request = new { type = "string", description = "What you need from this agent, with every detail it needs (ids, amounts, what the user asked)." },
        },
        required = new[] { "request" },
        additionalProperties = false,
    });

    public override string Name => "ask_" + target.Name;

    public override string Description => target.Description;

    public override JsonElement JsonSchema => Schema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var run = arguments.GetRun() ?? throw new InvalidOperationException($"A hand-off to '{target.Name}' needs the calling agent's run.");
        var request = arguments.TryGetValue("request", out var value) && value is JsonElement { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : value?.ToString() ?? "";
        var result = await runner.RunAsync(target.Name, run.ForHandOff(target.Name, arguments.GetToolCallId() ?? "handoff"), [new ChatMessage(ChatRole.User, request)], cancellationToken);
        return result.Text;
    }
}
