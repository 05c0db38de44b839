using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// Attaches the run and the tool-call id to <see cref="AIFunctionArguments.Context"/>, which is how an agent loop tells a
/// <see cref="GovernedTool"/> who is calling and which call this is.
/// </summary>
public static class ToolCallArguments
{
    private const string RunKey = "agentsuite.run";
    private const string ToolCallIdKey = "agentsuite.toolCallId";

    public static AIFunctionArguments WithToolCall(this AIFunctionArguments arguments, AgentRunContext run, string toolCallId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolCallId);
        arguments.Context ??= new Dictionary<object, object?>();
        arguments.Context[RunKey] = run;
        arguments.Context[ToolCallIdKey] = toolCallId;
        return arguments;
    }

    public static AgentRunContext? GetRun(this AIFunctionArguments arguments) =>
        arguments.Context is { } c && c.TryGetValue(RunKey, out var run) ? run as AgentRunContext : null;

    public static string? GetToolCallId(this AIFunctionArguments arguments) =>
        arguments.Context is { } c && c.TryGetValue(ToolCallIdKey, out var id) ? id as string : null;
}
