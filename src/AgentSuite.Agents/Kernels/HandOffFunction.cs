using System.Text.Json;
using AgentSuite.Agents.Remote;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// A specialist as a function of the coordinator's kernel: <c>ask_billing</c> runs the billing agent, on its own kernel,
/// with the same conversation, run and principal, its own agent name, and the hand-off's call id as its parent. Governed
/// as <c>agents/ask_NAME</c>, the hand-off is allowed, denied, rate-limited, approved, deduplicated and audited like any
/// other call; the calling run and call id reach it from governance, never from the model's arguments. A specialist of
/// <c>Agents:Remote</c> is governed the same way here; only the body differs: an MCP call to its own process.
/// </summary>
internal sealed class HandOffFunction(AgentRunner runner, AgentDefinition target, RemoteAgent? remote = null) : AIFunction
{
    public const string Server = "agents";

    /// <summary>The kernel plugin of hand-offs: its functions are named after agents, so the model reads <c>ask_billing</c>.</summary>
    public const string Plugin = "ask";


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

    public AgentDefinition Agent => target;

    /// <summary>The specialist's own process, when it runs in one; null when it runs here.</summary>
    public RemoteAgent? Remote => remote;

    /// <summary>Whether the governed tool hands off to a specialist in another process.</summary>
    public static bool IsRemote(GovernedTool tool) => tool.Inner is HandOffFunction { Remote: not null };

    public override string Name => Plugin + "_" + target.Name;

    public override string Description => target.Description;

    public override JsonElement JsonSchema => Schema;

    /// <summary>The agent a governed tool hands off to, or null for any other tool.</summary>
    public static string? Target(GovernedTool tool) => tool.Inner is HandOffFunction handOff ? handOff.Agent.Name : null;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // From the governance filter (Semantic Kernel), or from the arguments (a GovernedTool under any other host).
        var allowed = GovernedCall.Take(this);
        var run = allowed?.Run ?? arguments.GetRun()
            ?? throw new InvalidOperationException($"A hand-off to '{target.Name}' runs only through governance, which supplies the calling agent's run.");
        var callId = allowed?.CallId ?? arguments.GetToolCallId() ?? "handoff";
        var request = arguments.TryGetValue("request", out var value) && value is JsonElement { ValueKind: JsonValueKind.String } text
            ? text.GetString()!
            : value?.ToString() ?? "";

        if (remote is not null)
        {
            return await remote.AskAsync(run, callId, request, allowed?.Context, cancellationToken);
        }

        var result = await runner.RunAsync(target.Name, run.ForHandOff(target.Name, callId), [new ChatMessage(ChatRole.User, request)], cancellationToken);
        return result.Text;
    }
}
